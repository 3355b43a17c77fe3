using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Benchmarks;

/// <summary>Building the record and serializing it to bytes.</summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    private readonly Record _record = Record.Sample();
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private byte[] _protobuf = [];

    [GlobalSetup]
    public void Setup() => _protobuf = new byte[ProtobufRecord.CalculateSize(_record)];

    [Benchmark(Baseline = true, Description = "protobuf serialize")]
    public int Protobuf()
    {
        int size = ProtobufRecord.CalculateSize(_record);
        var output = new CodedOutputStream(_protobuf);
        ProtobufRecord.Write(output, _record);
        output.Flush();
        return size;
    }

    [Benchmark(Description = "capnp build + serialize")]
    public int Capnp()
    {
        _output.ResetWrittenCount();
        using var message = new MessageBuilder();
        CapnpRecord.Write(message, _record);
        MessageSerializer.Write(message, _output);
        return _output.WrittenCount;
    }
}
