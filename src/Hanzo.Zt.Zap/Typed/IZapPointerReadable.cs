using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap;

/// <summary>
/// A generated struct reader that can be read from any pointer. Lets a type be chosen where the schema leaves it
/// open: a generic method's parameter (<c>get @0 [U] (key :U)</c>), bound at each call as in the reference, or an
/// <c>AnyPointer</c> (<c>results.Value.ValueAs&lt;Coord.Reader&gt;()</c>).
/// </summary>
/// <typeparam name="TSelf">The reader type itself.</typeparam>
public interface IZapPointerReadable<TSelf>
    where TSelf : IZapPointerReadable<TSelf>
{
    /// <summary>Reads the struct <paramref name="pointer"/> points to; <paramref name="caps"/> resolves its capabilities.</summary>
    /// <exception cref="CapnpFormatException">The pointer is not a struct pointer.</exception>
    static abstract TSelf Read(PointerReader pointer, IZapCapTableReader? caps);
}

/// <summary>
/// A generated struct builder that can be started at any pointer: the building side of
/// <see cref="IZapPointerReadable{TSelf}"/>.
/// </summary>
/// <typeparam name="TSelf">The builder type itself.</typeparam>
public interface IZapPointerBuildable<TSelf>
    where TSelf : IZapPointerBuildable<TSelf>
{
    /// <summary>Starts a new struct of this type at <paramref name="pointer"/>; capabilities set on it go into <paramref name="caps"/>.</summary>
    static abstract TSelf Init(PointerBuilder pointer, IZapCapTableBuilder? caps);
}

/// <summary>Reads and starts generated structs at untyped pointers.</summary>
public static class ZapPointer
{
    /// <summary>The struct at <paramref name="pointer"/> as <typeparamref name="T"/> (a generated reader).</summary>
    public static T Read<T>(PointerReader pointer, IZapCapTableReader? caps = null)
        where T : IZapPointerReadable<T> => T.Read(pointer, caps);

    /// <summary>A new <typeparamref name="T"/> (a generated builder) at <paramref name="pointer"/>.</summary>
    public static T Init<T>(PointerBuilder pointer, IZapCapTableBuilder? caps = null)
        where T : IZapPointerBuildable<T> => T.Init(pointer, caps);
}
