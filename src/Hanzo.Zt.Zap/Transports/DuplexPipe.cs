using System.IO.Pipelines;

namespace Hanzo.Zt.Zap.Transports;

/// <summary>A reader and a writer paired as one duplex pipe.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
