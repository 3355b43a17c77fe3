using System.Security.Cryptography;
using System.Text;

namespace Hanzo.Zt.Capnp.Compiler;

/// <summary>
/// Derives the 64-bit ids the reference compiler gives to nodes without an explicit <c>@0x...</c>:
/// MD5 over the parent id (little-endian) and a discriminator, first 8 digest bytes read big-endian,
/// top bit set. Any other derivation would change every generated id on the wire.
/// </summary>
public static class TypeIds
{
    /// <summary>The id of a named declaration nested in <paramref name="parentId"/>.</summary>
    public static ulong ChildId(ulong parentId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[8 + nameBytes.Length];
        WriteParent(input, parentId);
        Buffer.BlockCopy(nameBytes, 0, input, 8, nameBytes.Length);
        return Digest(input);
    }

    /// <summary>The id of the group or named union at <paramref name="groupIndex"/> in its parent's field list.</summary>
    public static ulong GroupId(ulong parentId, int groupIndex)
    {
        var input = new byte[10];
        WriteParent(input, parentId);
        input[8] = (byte)groupIndex;
        input[9] = (byte)(groupIndex >> 8);
        return Digest(input);
    }

    /// <summary>The id of a method's implicit parameter (or, with <paramref name="isResults"/>, result) struct.</summary>
    public static ulong MethodParamsId(ulong interfaceId, int methodOrdinal, bool isResults)
    {
        var input = new byte[11];
        WriteParent(input, interfaceId);
        input[8] = (byte)methodOrdinal;
        input[9] = (byte)(methodOrdinal >> 8);
        input[10] = isResults ? (byte)1 : (byte)0;
        return Digest(input);
    }

    private static void WriteParent(byte[] input, ulong parentId)
    {
        for (int i = 0; i < 8; i++)
        {
            input[i] = (byte)(parentId >> (i * 8));
        }
    }

    private static ulong Digest(byte[] input)
    {
        byte[] hash;
        using (var md5 = MD5.Create())
        {
            hash = md5.ComputeHash(input);
        }

        ulong result = 0;
        for (int i = 0; i < 8; i++)
        {
            result = (result << 8) | hash[i];
        }

        return result | (1UL << 63);
    }
}
