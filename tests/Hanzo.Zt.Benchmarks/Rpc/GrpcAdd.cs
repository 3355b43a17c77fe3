using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Hanzo.Zt.Benchmarks.Rpc;

/// <summary>
/// The gRPC equivalent of Calculator.Function.call: <c>AddRequest { repeated double params = 1; }</c> →
/// <c>AddReply { double value = 1; }</c>, encoded with Google.Protobuf's streams as generated code would.
/// </summary>
internal static class GrpcAdd
{
    public static readonly Method<double[], Reply> Method = new(
        MethodType.Unary,
        "bench.Calculator",
        "Add",
        Marshallers.Create(SerializeRequest, DeserializeRequest),
        Marshallers.Create(SerializeReply, DeserializeReply));

    private static byte[] SerializeRequest(double[] values)
    {
        var bytes = new byte[2 + (values.Length * 8)];
        var output = new CodedOutputStream(bytes);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteLength(values.Length * 8);
        foreach (double v in values)
        {
            output.WriteDouble(v);
        }

        output.Flush();
        return bytes;
    }

    private static double[] DeserializeRequest(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var values = new List<double>(2);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                int length = input.ReadLength();
                for (int i = 0; i < length / 8; i++)
                {
                    values.Add(input.ReadDouble());
                }
            }
            else
            {
                input.SkipLastField();
            }
        }

        return [.. values];
    }

    private static byte[] SerializeReply(Reply reply)
    {
        var bytes = new byte[9];
        var output = new CodedOutputStream(bytes);
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(reply.Value);
        output.Flush();
        return bytes;
    }

    private static Reply DeserializeReply(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        double value = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                value = input.ReadDouble();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return new Reply(value);
    }

    /// <summary>The reply message.</summary>
    public sealed record Reply(double Value);

    /// <summary>Registers the Add method without generated code.</summary>
    public sealed class Service
    {
    }

    public sealed class MethodProvider : IServiceMethodProvider<Service>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<Service> context) =>
            context.AddUnaryMethod(Method, [], (_, request, _) => Task.FromResult(new Reply(request.Sum())));
    }
}
