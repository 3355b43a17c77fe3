namespace Hanzo.Zt.Zap.Pooling;

/// <summary>
/// A bounded stack of reusable objects, safe to use from any thread. Taking from an empty pool gives null (the
/// caller makes a new object); returning to a full one drops the object for the collector.
/// </summary>
internal sealed class SmallPool<T>(int capacity)
    where T : class
{
    private readonly T?[] _items = new T?[capacity];
    private int _count;

    public T? TryTake()
    {
        lock (_items)
        {
            if (_count == 0)
            {
                return null;
            }

            var item = _items[--_count];
            _items[_count] = null;
            return item;
        }
    }

    public void Return(T item)
    {
        lock (_items)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = item;
            }
        }
    }
}
