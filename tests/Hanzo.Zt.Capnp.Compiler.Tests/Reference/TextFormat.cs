using System.Text;

namespace Hanzo.Zt.Capnp.Compiler.Tests.Reference;

/// <summary>Parses the reference's one-line text format (<c>capnp decode --short</c>) into dictionaries, lists and scalar strings.</summary>
internal sealed class TextFormat
{
    private readonly string text;
    private int position;

    private TextFormat(string text) => this.text = text;

    public static Dictionary<string, object> Parse(string text) => (Dictionary<string, object>)new TextFormat(text.Trim()).ParseValue();

    private object ParseValue()
    {
        SkipSpace();
        char c = text[position];
        if (c == '(')
        {
            position++;
            var fields = new Dictionary<string, object>();
            while (true)
            {
                SkipSpace();
                if (text[position] == ')')
                {
                    position++;
                    return fields;
                }

                string name = ReadWord();
                SkipSpace();
                position++; // '='
                fields[name] = ParseValue();
                SkipSpace();
                if (text[position] == ',')
                {
                    position++;
                }
            }
        }

        if (c == '[')
        {
            position++;
            var items = new List<object>();
            while (true)
            {
                SkipSpace();
                if (text[position] == ']')
                {
                    position++;
                    return items;
                }

                items.Add(ParseValue());
                SkipSpace();
                if (text[position] == ',')
                {
                    position++;
                }
            }
        }

        if (c == '"')
        {
            var value = new StringBuilder("\"");
            position++;
            while (text[position] != '"')
            {
                if (text[position] == '\\')
                {
                    value.Append(text[position++]);
                }

                value.Append(text[position++]);
            }

            position++;
            return value.Append('"').ToString();
        }

        if (c == '<')
        {
            int end = text.IndexOf('>', position);
            string opaque = text.Substring(position, end - position + 1);
            position = end + 1;
            return opaque;
        }

        return ReadWord();
    }

    private string ReadWord()
    {
        int start = position;
        while (position < text.Length && ",)]= ".IndexOf(text[position]) < 0)
        {
            position++;
        }

        return text.Substring(start, position - start);
    }

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
