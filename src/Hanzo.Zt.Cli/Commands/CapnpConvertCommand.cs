using System.Buffers;
using System.CommandLine;
using System.Text;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Capnp.Compiler;
using Hanzo.Zt.Capnp.Dynamic;

namespace Hanzo.Zt.Cli.Commands;

/// <summary><c>zt capnp convert &lt;from&gt;:&lt;to&gt; [schema] [Type]</c>: converts a stream of messages between formats, like <c>capnp convert</c>.</summary>
internal static class CapnpConvertCommand
{
    private static readonly string[] Formats = ["binary", "packed", "flat", "flat-packed", "canonical", "text", "json"];

    public static Command Create()
    {
        var formats = new Argument<string>("from:to") { Description = $"Input and output formats: {string.Join(", ", Formats)}." };
        var schemaFile = new Argument<string?>("schema") { Description = "The schema file (needed for text and json).", Arity = ArgumentArity.ZeroOrOne };
        var typeName = new Argument<string?>("type") { Description = "The root struct type, e.g. Outer.Inner.", Arity = ArgumentArity.ZeroOrOne };
        var imports = CapnpCommand.ImportPathOption();
        var noStandard = CapnpCommand.NoStandardImportOption();
        var segmentSize = new Option<int?>("--segment-size") { Description = "For binary output, the size of each segment in words (default: one segment per message)." };
        var shortOutput = new Option<bool>("--short") { Description = "Write text or JSON on one line per message." };
        var command = new Command("convert", "Convert a stream of messages from stdin to stdout between formats, as `capnp convert` does.")
        {
            formats, schemaFile, typeName, imports, noStandard, segmentSize, shortOutput,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var request = new ConvertRequest(
                    parseResult.GetValue(formats)!,
                    parseResult.GetValue(schemaFile),
                    parseResult.GetValue(typeName),
                    parseResult.GetValue(imports) ?? [],
                    !parseResult.GetValue(noStandard),
                    parseResult.GetValue(segmentSize),
                    parseResult.GetValue(shortOutput));
                using var input = Console.OpenStandardInput();
                using var output = Console.OpenStandardOutput();
                await ConvertAsync(request, input, output, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is CapnpFormatException or CapnpSchemaException or ArgumentException or IOException)
            {
                error.WriteLine($"zt capnp convert: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    internal sealed record ConvertRequest(string Formats, string? SchemaFile, string? TypeName, string[] ImportPaths, bool StandardImports, int? SegmentSize, bool Short);

    internal static async Task ConvertAsync(ConvertRequest request, Stream input, Stream output, CancellationToken cancellationToken)
    {
        string[] parts = request.Formats.Split(':');
        if (parts.Length != 2 || !Formats.Contains(parts[0]) || !Formats.Contains(parts[1]))
        {
            throw new ArgumentException($"'{request.Formats}' is not <from>:<to> with formats {string.Join(", ", Formats)}.");
        }

        if (request.SegmentSize is < 1)
        {
            throw new ArgumentException("--segment-size must be at least 1 word.");
        }

        (string from, string to) = (parts[0], parts[1]);
        SchemaSet? schema = null;
        SchemaNode? type = null;
        if (from is "text" or "json" || to is "text" or "json")
        {
            if (request.SchemaFile is null || request.TypeName is null)
            {
                throw new ArgumentException("Text and JSON formats need <schema-file> and <type>.");
            }

            schema = SchemaSet.Load(request.SchemaFile, request.ImportPaths, request.StandardImports);
            type = schema.GetStruct(request.TypeName);
        }

        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        var writer = new ArrayBufferWriter<byte>();
        foreach (var message in ReadMessages(from, bytes, schema, type))
        {
            using (message)
            {
                WriteMessage(to, message, schema, type, request, writer);
            }
        }

        await output.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<MessageReader> ReadMessages(string format, ReadOnlyMemory<byte> input, SchemaSet? schema, SchemaNode? type)
    {
        switch (format)
        {
            case "binary":
                while (!input.IsEmpty)
                {
                    var message = MessageSerializer.Read(input, out int consumed);
                    input = input[consumed..];
                    yield return message;
                }

                break;
            case "packed":
                while (!input.IsEmpty)
                {
                    var message = PackedEncoding.ReadPacked(input.Span, out int consumed);
                    input = input[consumed..];
                    yield return message;
                }

                break;
            case "flat" or "canonical":
                yield return new MessageReader([input]);
                break;
            case "flat-packed":
                yield return new MessageReader([PackedEncoding.Unpack(input.Span)]);
                break;
            default:
                var builder = new DynamicBuilder(schema!);
                var values = format == "json"
                    ? JsonFormat.Parse(input.Span, schema!, type!)
                    : schema!.ParseText(Encoding.UTF8.GetString(input.Span), type!).Cast<DynamicStruct>().ToList();
                foreach (var value in values)
                {
                    using var built = builder.Build(value, type!, new MessageBuilderOptions { SingleSegment = true });
                    yield return built.AsReader();
                }

                break;
        }
    }

    private static void WriteMessage(string format, MessageReader message, SchemaSet? schema, SchemaNode? type, ConvertRequest request, IBufferWriter<byte> output)
    {
        switch (format)
        {
            case "text" or "json":
                var value = new DynamicReader(schema!).ReadStruct(message.GetRoot(), type!);
                string text = format == "text" ? TextFormat.Format(value, pretty: !request.Short) : JsonFormat.Format(value, pretty: !request.Short);
                output.Write(Encoding.UTF8.GetBytes(text + "\n"));
                break;
            case "canonical":
                output.Write(CanonicalEncoding.Canonicalize(message.Root));
                break;
            default:
                var options = request.SegmentSize is int words && format is "binary" or "packed"
                    ? new MessageBuilderOptions { FirstSegmentWords = words, FixedSegmentSize = true }
                    : new MessageBuilderOptions { SingleSegment = true };
                using (var copy = new MessageBuilder(options))
                {
                    copy.Root.SetFrom(message.Root);
                    switch (format)
                    {
                        case "binary": MessageSerializer.Write(copy, output); break;
                        case "packed": PackedEncoding.WritePacked(copy, output); break;
                        case "flat": output.Write(copy.GetSegment(0).Span); break;
                        default: PackedEncoding.Pack(copy.GetSegment(0).Span, output); break;
                    }
                }

                break;
        }
    }
}
