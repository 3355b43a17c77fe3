using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Edge;

/// <summary>The circuit's received bytes as a pipe, read where they landed instead of copied out first.</summary>
public sealed partial class EdgeCircuit
{
    private CircuitReader? _input;

    /// <summary>
    /// The received bytes as a <see cref="PipeReader"/>, without the copy a <see cref="ReadAsync"/> makes: what the
    /// reader consumes is granted back to the peer as credit. Read the circuit either through this or through
    /// <see cref="ReadAsync"/>, never both. Completing the reader changes nothing; disposing the circuit ends it.
    /// </summary>
    public PipeReader Input => _input ??= new CircuitReader(this);

    /// <summary>Hands out the inbound pipe's buffers and grants the peer credit for what is consumed.</summary>
    private sealed class CircuitReader(EdgeCircuit circuit) : PipeReader
    {
        private ReadOnlySequence<byte> _last;

        public override bool TryRead(out ReadResult result)
        {
            if (!circuit._inbound.Reader.TryRead(out result))
            {
                return false;
            }

            _last = result.Buffer;
            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await circuit._inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            _last = result.Buffer;
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            long n = _last.Slice(_last.Start, consumed).Length;
            _last = default;
            circuit._inbound.Reader.AdvanceTo(consumed, examined);
            if (n > 0)
            {
                circuit.Grant(n);
            }
        }

        public override void CancelPendingRead() => circuit._inbound.Reader.CancelPendingRead();

        public override void Complete(Exception? exception = null)
        {
            // The circuit owns its pipe and ends it when disposed.
        }
    }
}
