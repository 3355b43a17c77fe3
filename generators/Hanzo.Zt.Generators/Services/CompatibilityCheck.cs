using System.Globalization;

namespace Hanzo.Zt.Generators.Services;

/// <summary>A <c>.zaplock</c> file from AdditionalFiles.</summary>
internal sealed record LockFile(string Path, string Text);

/// <summary>
/// Checks a service against the ordinals recorded for its previous version. A <c>.zaplock</c> file (committed,
/// in AdditionalFiles) has one line per member: <c>Interface.method @N</c> for methods and
/// <c>Interface.method.param @N</c> / <c>Struct.field @N</c> for fields; <c>#</c> starts a comment. A recorded
/// name whose ordinal changed, or a recorded ordinal now used by another name, breaks callers built against the
/// previous version (ZT0004). New members are compatible. <c>zt capnp export --lock</c> prints the lines.
/// </summary>
internal static class CompatibilityCheck
{
    public static List<DiagnosticInfo> Check(ServiceModel service, IEnumerable<LockFile> lockFiles)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var current = Entries(service);
        foreach (var file in lockFiles)
        {
            var recorded = new Dictionary<string, int>(StringComparer.Ordinal);
            var lines = file.Text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                int hash = line.IndexOf('#');
                line = hash >= 0 ? line.Substring(0, hash).Trim() : line;
                if (line.Length == 0)
                {
                    continue;
                }

                int at = line.LastIndexOf(" @", StringComparison.Ordinal);
                if (at <= 0 || !int.TryParse(line.Substring(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal))
                {
                    diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.BadLockFile.Id, $"{file.Path}({i + 1}): expected 'Name.member @N', found '{line}'", file.Path, 0, 0, i, 0, i, 0));
                    continue;
                }

                recorded[line.Substring(0, at).Trim()] = ordinal;
            }

            foreach (var entry in current)
            {
                if (recorded.TryGetValue(entry.Key, out int before) && before != entry.Value)
                {
                    diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.BreakingOrdinal.Id,
                        $"{entry.Key} was @{before} in {System.IO.Path.GetFileName(file.Path)} and is now @{entry.Value}: callers built against the previous version would call the wrong member",
                        null, 0, 0, 0, 0, 0, 0));
                }
            }

            foreach (var old in recorded)
            {
                string scope = old.Key.Substring(0, Math.Max(0, old.Key.LastIndexOf('.')));
                var taker = current.FirstOrDefault(c => c.Key != old.Key && c.Value == old.Value && c.Key.Substring(0, Math.Max(0, c.Key.LastIndexOf('.'))) == scope);
                if (taker.Key is not null && !current.ContainsKey(old.Key))
                {
                    diagnostics.Add(new DiagnosticInfo(ZtDiagnostics.BreakingOrdinal.Id,
                        $"@{old.Value} belonged to {old.Key} in {System.IO.Path.GetFileName(file.Path)} and now names {taker.Key}: retire an ordinal instead of reusing it",
                        null, 0, 0, 0, 0, 0, 0));
                }
            }
        }

        return diagnostics;
    }

    /// <summary>The lock lines of a service: every method, parameter and record field with its ordinal.</summary>
    public static Dictionary<string, int> Entries(ServiceModel service)
    {
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in service.Methods)
        {
            entries[$"{service.CapnpName}.{m.CapnpName}"] = m.Ordinal;
            foreach (var p in m.Parameters)
            {
                entries[$"{service.CapnpName}.{m.CapnpName}.{p.CapnpName}"] = p.Ordinal;
            }
        }

        foreach (var r in service.Records)
        {
            foreach (var f in r.Fields)
            {
                entries[$"{r.CapnpName}.{f.CapnpName}"] = f.Ordinal;
            }
        }

        return entries;
    }
}
