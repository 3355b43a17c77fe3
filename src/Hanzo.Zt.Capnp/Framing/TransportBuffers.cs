using System.Buffers;

namespace Hanzo.Zt.Capnp;

/// <summary>
/// The arrays that bytes in flight on a transport are kept in: outgoing batches, link read buffers, and the pipes a
/// stream's received bytes wait in. A bulk stream keeps megabytes in flight, more than the runtime's shared pool keeps
/// per size; with that pool every array beyond its reach would be allocated anew and collected later (measured: about
/// a byte allocated per byte relayed with 16 streams, and a full collection every few hundred megabytes). This pool
/// keeps up to 256 arrays of each size, so at most a few tens of MiB stay with the process after a burst.
/// </summary>
public static class TransportBuffers
{
    /// <summary>The largest array the pool keeps; larger requests are allocated and not kept.</summary>
    public const int MaxArrayBytes = 1024 * 1024;

    /// <summary>Arrays for buffers in flight.</summary>
    public static ArrayPool<byte> Arrays { get; } = ArrayPool<byte>.Create(MaxArrayBytes, 256);

    /// <summary>The same arrays as a <see cref="MemoryPool{T}"/>, for pipes.</summary>
    public static MemoryPool<byte> Memory { get; } = new ArrayMemoryPool(Arrays);

    private sealed class ArrayMemoryPool(ArrayPool<byte> arrays) : MemoryPool<byte>
    {
        public override int MaxBufferSize => MaxArrayBytes;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Owner(arrays, arrays.Rent(minBufferSize < 0 ? 4096 : minBufferSize));

        protected override void Dispose(bool disposing)
        {
            // Shared for the life of the process.
        }

        private sealed class Owner(ArrayPool<byte> arrays, byte[] array) : IMemoryOwner<byte>
        {
            private byte[]? _array = array;

            public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(IMemoryOwner<byte>));

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _array, null) is { } array)
                {
                    arrays.Return(array);
                }
            }
        }
    }
}
