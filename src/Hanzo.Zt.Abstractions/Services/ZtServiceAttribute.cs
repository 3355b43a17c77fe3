namespace Hanzo.Zt;

/// <summary>
/// Marks an interface as a ZAP service: the source generator emits a Cap'n Proto interface for it
/// (with a stable id), a client proxy, a server dispatcher and DI registrations.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class ZtServiceAttribute : Attribute
{
    /// <summary>Marks the interface, with its Cap'n Proto name derived from the C# name.</summary>
    public ZtServiceAttribute()
    {
    }

    /// <summary>Marks the interface with an explicit Cap'n Proto name.</summary>
    public ZtServiceAttribute(string name) => Name = name;

    /// <summary>The Cap'n Proto interface name; the C# name without its leading <c>I</c> when unset.</summary>
    public string? Name { get; }

    /// <summary>
    /// An explicit 64-bit interface id (the high bit must be set, as with <c>capnp id</c>). When unset the
    /// id is derived from the interface's full name, so renaming it changes the id.
    /// </summary>
    public ulong Id { get; set; }
}
