using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Hanzo.Zt.Edge;

/// <summary>The circuit's received bytes as a pipe, read where they landed instead of copied out first.</summary>
public sealed partial class EdgeCircuit
{
    private readonly Lock _readGate = new();
    private CircuitReader? _input;

    /// <summary>A read's buffers are the reader's until it advances past them.</summary>
    private bool _readHeld;

    /// <summary>The circuit was disposed: the pipe's reader ends as soon as no read holds its buffers.</summary>
    private bool _readerEnding;

    /// <summary>Marks a read begun: disposal waits for it to give its buffers back before it ends the pipe's reader.</summary>
    private void HoldRead()
    {
        lock (_readGate)
        {
            _readHeld = true;
        }
    }

    /// <summary>Marks a read done (advanced past, or failed); ends the pipe's reader if the circuit was disposed meanwhile.</summary>
    private void ReleaseRead()
    {
        lock (_readGate)
        {
            _readHeld = false;
            if (_readerEnding)
            {
                _inbound.Reader.Complete();
            }
        }
    }

    /// <summary>
    /// Ends the pipe's reader, which gives its buffers back to the pool, but not under a read that still holds them:
    /// a circuit may be disposed from another thread while its reader parses what it was handed.
    /// </summary>
    private void EndReader()
    {
        lock (_readGate)
        {
            _readerEnding = true;
            if (!_readHeld)
            {
                _inbound.Reader.Complete();
            }
        }
    }

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
            circuit.HoldRead();
            bool read;
            try
            {
                read = circuit._inbound.Reader.TryRead(out result);
            }
            catch
            {
                circuit.ReleaseRead();
                throw;
            }

            if (!read)
            {
                circuit.ReleaseRead();
                return false;
            }

            _last = result.Buffer;
            return true;
        }

        /// <remarks>A read of bytes already received completes before this returns.</remarks>
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            circuit.HoldRead();
            ValueTask<ReadResult> read;
            try
            {
                read = circuit._inbound.Reader.ReadAsync(cancellationToken);
                if (read.IsCompleted)
                {
                    var result = read.GetAwaiter().GetResult();
                    _last = result.Buffer;
                    return new ValueTask<ReadResult>(result);
                }
            }
            catch (Exception e)
            {
                circuit.ReleaseRead();
                return ValueTask.FromException<ReadResult>(e);
            }

            return ReadWaitingAsync(read);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> ReadWaitingAsync(ValueTask<ReadResult> read)
        {
            ReadResult result;
            try
            {
                result = await read.ConfigureAwait(false);
            }
            catch
            {
                circuit.ReleaseRead();
                throw;
            }

            _last = result.Buffer;
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            long n = _last.Slice(_last.Start, consumed).Length;
            _last = default;
            try
            {
                circuit._inbound.Reader.AdvanceTo(consumed, examined);
            }
            finally
            {
                circuit.ReleaseRead();
            }

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
