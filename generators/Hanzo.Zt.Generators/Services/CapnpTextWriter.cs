using System.Globalization;

namespace Hanzo.Zt.Generators.Services;

/// <summary>Writes the .capnp text of a [ZtService] interface and the records it carries, for other languages to compile.</summary>
internal static class CapnpTextWriter
{
    public static string Write(ServiceModel service)
    {
        var text = new StringBuilder();
        text.Append("@0x").Append(service.FileId.ToString("x16", CultureInfo.InvariantCulture)).Append(";\n");
        text.Append("# The Cap'n Proto form of the [ZtService] interface ").Append(service.FullName.Replace("global::", string.Empty)).Append(".\n\n");
        text.Append("interface ").Append(service.CapnpName);
        if (service.ExplicitId is { } id)
        {
            text.Append(" @0x").Append(id.ToString("x16", CultureInfo.InvariantCulture));
        }

        text.Append(" {\n");
        foreach (var m in service.Methods)
        {
            text.Append("  ").Append(m.CapnpName).Append(" @").Append(m.Ordinal).Append(" (")
                .Append(string.Join(", ", m.Parameters.Select(p => $"{p.CapnpName} :{p.Type.Capnp}")))
                .Append(") -> (").Append(string.Join(", ", m.ResultFields.Select(r => $"{r.CapnpName} :{r.Type.Capnp}"))).Append(");\n");
        }

        text.Append("}\n");
        foreach (var o in service.Optionals)
        {
            text.Append("\nstruct ").Append(o.CapnpName).Append(o.IsUnion
                ? " {\n  union {\n    none @0 :Void;\n    value @1 :" + o.ValueCapnp + ";\n  }\n}\n"
                : " {\n  value @0 :" + o.ValueCapnp + ";\n}\n");
        }

        foreach (var e in service.Enums)
        {
            text.Append("\nenum ").Append(e.CapnpName).Append(" {\n");
            for (int i = 0; i < e.Members.Count; i++)
            {
                text.Append("  ").Append(e.Members[i]).Append(" @").Append(i).Append(";\n");
            }

            text.Append("}\n");
        }

        foreach (var record in service.Records)
        {
            text.Append("\nstruct ").Append(record.CapnpName).Append(" {\n");
            foreach (var f in record.Fields.OrderBy(f => f.Ordinal))
            {
                text.Append("  ").Append(f.CapnpName).Append(" @").Append(f.Ordinal).Append(" :").Append(f.Type.Capnp).Append(";\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }
}
