namespace Hanzo.Zt.Generators.Tests.Services;

/// <summary>A code-first service with value-tuple results, enums and nullable values (lists of them too).</summary>
[ZtService]
public interface IInventory
{
    Task<(int Count, string Name)> CountAsync(string sku, CancellationToken cancellationToken);

    ValueTask<(long Total, Shade Mixed, List<Shade> Palette)> MixAsync(Shade first, Shade[] others);

    Task<(int, bool)> UnnamedAsync(int value);

    Task<Swatch> SwatchAsync(Shade shade);

    Task<(int? Found, Shade? Preferred)> FindAsync(string sku, Shade? preferred, double? weight);

    Task<List<long?>> ScaleAsync(int?[] readings, int factor);
}

/// <summary>An enum carried as a Cap'n Proto enum (its values are 0, 1, 2).</summary>
public enum Shade
{
    Red,
    Green,
    Blue,
}

/// <summary>A record with an enum property.</summary>
public sealed record Swatch(Shade Shade, string Label);
