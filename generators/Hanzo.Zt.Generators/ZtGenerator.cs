using Microsoft.CodeAnalysis;

namespace Hanzo.Zt.Generators;

/// <summary>
/// The Hanzo ZT source generator: every <c>.capnp</c> file in AdditionalFiles becomes typed readers, builders,
/// clients and servers; every <c>[ZtService]</c> interface becomes a Cap'n Proto interface with its own.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ZtGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
