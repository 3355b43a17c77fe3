using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Benchmarks;

/// <summary>Reading every field of the record: Cap'n Proto views in place; Protocol Buffers parses into objects.</summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    private byte[] _capnp = [];
    private byte[] _protobuf = [];
    private MessageReader? _reader;

    [GlobalSetup]
    public void Setup()
    {
        var record = Record.Sample();
        using var message = new MessageBuilder();
        CapnpRecord.Write(message, record);
        _capnp = MessageSerializer.ToArray(message);
        _protobuf = new byte[ProtobufRecord.CalculateSize(record)];
        var output = new CodedOutputStream(_protobuf);
        ProtobufRecord.Write(output, record);
        output.Flush();

        _reader = MessageSerializer.Read(_capnp);
        using var check = MessageSerializer.Read(_capnp);
        if (CapnpRecord.Read(check.GetRoot()) != ProtobufRecord.Sum(ProtobufRecord.Parse(new CodedInputStream(_protobuf))))
        {
            throw new InvalidOperationException("The two encodings do not hold the same record.");
        }
    }

    [Benchmark(Baseline = true, Description = "protobuf parse + read")]
    public double Protobuf() => ProtobufRecord.Sum(ProtobufRecord.Parse(new CodedInputStream(_protobuf)));

    [Benchmark(Description = "capnp frame + read")]
    public double Capnp()
    {
        using var message = MessageSerializer.Read(_capnp);
        return CapnpRecord.Read(message.GetRoot());
    }

    /// <summary>As a connection reads: one reader reset onto each incoming message; nothing is allocated.</summary>
    [Benchmark(Description = "capnp read, reused reader")]
    public double CapnpReused()
    {
        _reader!.Reset(_capnp);
        return CapnpRecord.Read(_reader.GetRoot());
    }
}
