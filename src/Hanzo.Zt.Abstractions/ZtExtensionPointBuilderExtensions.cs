using Hanzo.Zt.Billing;
using Hanzo.Zt.Identity;
using Hanzo.Zt.NatTraversal;
using Hanzo.Zt.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hanzo.Zt.DependencyInjection;

/// <summary>
/// Registers implementations of the extension points (transport, billing, NAT traversal, identity) through an
/// <see cref="IZtBuilder"/>; a plugin needs nothing beyond the abstractions to use them.
/// </summary>
public static class ZtExtensionPointBuilderExtensions
{
    /// <summary>Adds a transport for the URI schemes it names; a later transport for the same scheme wins.</summary>
    public static IZtBuilder AddTransport<T>(this IZtBuilder builder)
        where T : class, IZtTransport
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.AddSingleton<IZtTransport>(sp => sp.GetRequiredService<T>());
        return builder;
    }

    /// <summary>Makes <typeparamref name="T"/> the billing provider, replacing any registered before.</summary>
    public static IZtBuilder AddBilling<T>(this IZtBuilder builder)
        where T : class, IBillingProvider =>
        builder.ReplaceSingleton<IBillingProvider, T>();

    /// <summary>Makes <typeparamref name="T"/> the NAT traversal implementation, replacing any registered before.</summary>
    public static IZtBuilder AddNatTraversal<T>(this IZtBuilder builder)
        where T : class, INatTraversal =>
        builder.ReplaceSingleton<INatTraversal, T>();

    /// <summary>Makes <typeparamref name="T"/> the identity provider, replacing any registered before.</summary>
    public static IZtBuilder AddIdentityProvider<T>(this IZtBuilder builder)
        where T : class, IIdentityProvider =>
        builder.ReplaceSingleton<IIdentityProvider, T>();

    private static IZtBuilder ReplaceSingleton<TService, TImplementation>(this IZtBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<TService>();
        builder.Services.AddSingleton<TService, TImplementation>();
        return builder;
    }
}
