using Hanzo.Zt.Capnp;

namespace Hanzo.Zt.Zap.Protocol;

/// <summary>The <c>Message</c> union of <c>rpc.capnp</c>; the numeric values are the wire's union tags.</summary>
internal enum RpcMessageKind : ushort
{
    Unimplemented = 0,
    Abort = 1,
    Call = 2,
    Return = 3,
    Finish = 4,
    Resolve = 5,
    Release = 6,
    ObsoleteSave = 7,
    Bootstrap = 8,
    ObsoleteDelete = 9,
    Provide = 10,
    Accept = 11,
    Join = 12,
    Disembargo = 13,
}

/// <summary>
/// Layouts of the <c>rpc.capnp</c> structs (file id 0xb312981b2552a250) as the reference compiler assigns them:
/// data offsets are in units of the field's size, as <see cref="StructReader"/> and <see cref="StructBuilder"/> take them.
/// </summary>
internal static class Rpc
{
    public static class Message
    {
        public const int DataWords = 1, Pointers = 1;
        public const int Tag = 0; // u16, bits [0, 16)
        public const int Body = 0; // ptr
    }

    public static class Bootstrap
    {
        public const int DataWords = 1, Pointers = 1;
        public const int QuestionId = 0; // u32
    }

    public static class Call
    {
        public const int DataWords = 3, Pointers = 3;
        public const int QuestionId = 0; // u32
        public const int MethodId = 2; // u16, bits [32, 48)
        public const int SendResultsToTag = 3; // u16, bits [48, 64)
        public const int InterfaceId = 1; // u64, bits [64, 128)
        public const int Target = 0, Params = 1, ThirdParty = 2; // ptrs

        public const ushort SendToCaller = 0, SendToYourself = 1, SendToThirdParty = 2;
    }

    public static class Return
    {
        public const int DataWords = 2, Pointers = 1;
        public const int AnswerId = 0; // u32
        public const int ReleaseParamCaps = 32; // bool bit, default true
        public const int Tag = 3; // u16, bits [48, 64)
        public const int TakeFromOtherQuestion = 2; // u32, bits [64, 96)
        public const int Body = 0; // ptr: results / exception / acceptFromThirdParty

        public const ushort Results = 0, Exception = 1, Canceled = 2, ResultsSentElsewhere = 3, TakeFromOther = 4, AcceptFromThirdParty = 5;
    }

    public static class Finish
    {
        public const int DataWords = 1, Pointers = 0;
        public const int QuestionId = 0; // u32
        public const int ReleaseResultCaps = 32; // bool bit, default true
    }

    public static class Resolve
    {
        public const int DataWords = 1, Pointers = 1;
        public const int PromiseId = 0; // u32
        public const int Tag = 2; // u16, bits [32, 48)
        public const int Body = 0; // ptr: cap / exception

        public const ushort Cap = 0, Exception = 1;
    }

    public static class Release
    {
        public const int DataWords = 1, Pointers = 0;
        public const int Id = 0, ReferenceCount = 1; // u32s
    }

    public static class Disembargo
    {
        public const int DataWords = 1, Pointers = 1;
        public const int Target = 0; // ptr
        public const int ContextValue = 0; // u32
        public const int Tag = 2; // u16, bits [32, 48)

        public const ushort SenderLoopback = 0, ReceiverLoopback = 1, Accept = 2, Provide = 3;
    }

    public static class MessageTarget
    {
        public const int DataWords = 1, Pointers = 1;
        public const int ImportedCap = 0; // u32
        public const int Tag = 2; // u16, bits [32, 48)
        public const int PromisedAnswer = 0; // ptr

        public const ushort Imported = 0, Promised = 1;
    }

    public static class Payload
    {
        public const int DataWords = 0, Pointers = 2;
        public const int Content = 0, CapTable = 1; // ptrs
    }

    public static class CapDescriptor
    {
        public const int DataWords = 1, Pointers = 1;
        public const int Tag = 0; // u16
        public const int AttachedFd = 2; // u8, bits [16, 24), default 255
        public const int Id = 1; // u32, bits [32, 64)
        public const int Body = 0; // ptr: receiverAnswer / thirdPartyHosted

        public const ushort None = 0, SenderHosted = 1, SenderPromise = 2, ReceiverHosted = 3, ReceiverAnswer = 4, ThirdPartyHosted = 5;
    }

    public static class PromisedAnswer
    {
        public const int DataWords = 1, Pointers = 1;
        public const int QuestionId = 0; // u32
        public const int Transform = 0; // ptr: List(Op)
    }

    public static class Op
    {
        public const int DataWords = 1, Pointers = 0;
        public const int Tag = 0; // u16
        public const int PointerField = 1; // u16, bits [16, 32)

        public const ushort Noop = 0, GetPointerField = 1;
    }

    public static class ThirdPartyCapDescriptor
    {
        public const int VineId = 0; // u32
    }

    public static class Exception
    {
        public const int DataWords = 1, Pointers = 2;
        public const int Reason = 0, Trace = 1; // ptrs
        public const int Type = 2; // u16, bits [32, 48)
    }
}
