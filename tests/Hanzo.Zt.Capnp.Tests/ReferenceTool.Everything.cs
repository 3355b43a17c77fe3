namespace Hanzo.Zt.Testing;

/// <summary>The reference tool over this project's test schema, <c>everything.capnp</c>, and its sample messages.</summary>
internal static partial class ReferenceTool
{
    public static string SchemaFile => Path.Combine(SchemaDirectory, "everything.capnp");

    public static byte[] Encode(string text, params string[] options) =>
        Run(System.Text.Encoding.UTF8.GetBytes(text), ["encode", .. options, "everything.capnp", "Everything"]);

    public static string DecodeShort(byte[] message) =>
        System.Text.Encoding.UTF8.GetString(Run(message, "decode", "--short", "everything.capnp", "Everything")).TrimEnd('\n');

    public static string Message(string name) => File.ReadAllText(Path.Combine(SchemaDirectory, "messages", name + ".txt"));

    public static TheoryData<string> Messages() => new(Directory.GetFiles(Path.Combine(SchemaDirectory, "messages"), "*.txt")
        .Select(Path.GetFileNameWithoutExtension).Order()!);
}
