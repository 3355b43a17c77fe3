namespace Hanzo.Zt.Capnp.Dynamic;

/// <summary>Splits a stream of text-format messages into its top-level <c>( ... )</c> literals.</summary>
internal static class TextLiterals
{
    public static IReadOnlyList<string> Split(string text)
    {
        var literals = new List<string>();
        int depth = 0;
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == '"' || c == '\'')
            {
                i = SkipQuoted(text, i, c);
                continue;
            }

            if (depth == 0 && !char.IsWhiteSpace(c) && c != '(')
            {
                throw new CapnpSchemaException($"Expected '(' to start a message at offset {i} of the text input, found '{c}'.");
            }

            if (c is '(' or '[')
            {
                if (depth++ == 0)
                {
                    start = i;
                }
            }
            else if (c is ')' or ']')
            {
                if (--depth == 0)
                {
                    literals.Add(text[start..(i + 1)]);
                }
            }
        }

        if (depth != 0)
        {
            throw new CapnpSchemaException("The text input ends inside a message: a '(' or '[' is not closed.");
        }

        return literals;
    }

    private static int SkipQuoted(string text, int i, char quote)
    {
        for (i++; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        throw new CapnpSchemaException("The text input ends inside a quoted string.");
    }
}
