using Microsoft.CodeAnalysis;

namespace Hanzo.Zt.Generators;

/// <summary>The generator's diagnostics. Ids are stable: never renumber or reuse one.</summary>
internal static class ZtDiagnostics
{
    private const string Category = "Hanzo.Zt.Generators";

    /// <summary>ZT0001: a .capnp file does not compile (syntax or meaning), at the file, line and column.</summary>
    public static readonly DiagnosticDescriptor SchemaError = Error("ZT0001", "Cap'n Proto schema error");

    /// <summary>ZT0002: a [ZtService] method parameter or result type has no Cap'n Proto mapping.</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Error("ZT0002", "Type not supported by ZAP services");

    /// <summary>ZT0003: two methods (or two fields) of one [ZtService] declaration share an ordinal.</summary>
    public static readonly DiagnosticDescriptor DuplicateOrdinal = Error("ZT0003", "Duplicate ordinal");

    /// <summary>ZT0004: an ordinal now names something other than the recorded previous version gave it.</summary>
    public static readonly DiagnosticDescriptor BreakingOrdinal = Error("ZT0004", "Ordinal change breaks wire compatibility");

    /// <summary>ZT0005: a [ZtService] method does not return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturn = Error("ZT0005", "Service methods must be asynchronous");

    /// <summary>ZT0006: the schema declares interfaces but the project does not reference Hanzo.Zt.Zap.</summary>
    public static readonly DiagnosticDescriptor ZapMissing = Error("ZT0006", "Interfaces need Hanzo.Zt.Zap");

    /// <summary>ZT0007: the compatibility lock file cannot be read.</summary>
    public static readonly DiagnosticDescriptor BadLockFile = Error("ZT0007", "Unreadable ZAP lock file");

    /// <summary>ZT0008: an explicit [ZtService(Id = ...)] lacks the high bit every Cap'n Proto id has.</summary>
    public static readonly DiagnosticDescriptor BadId = Error("ZT0008", "Invalid interface id");

    /// <summary>ZT0009: something in a schema (a Void constant, a value with no C# form) is not generated.</summary>
    public static readonly DiagnosticDescriptor NotGenerated =
        new("ZT0009", "Schema declaration not generated", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor[] All =
        [SchemaError, UnsupportedType, DuplicateOrdinal, BreakingOrdinal, UnsupportedReturn, ZapMissing, BadLockFile, BadId, NotGenerated];

    public static DiagnosticDescriptor Find(string id) => All.First(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
