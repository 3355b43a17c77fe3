namespace Calculator;

/// <summary>Ids and layouts of calculator.capnp, as the reference compiler assigns them.</summary>
internal static class CalculatorSchema
{
    public const ulong CalculatorId = 0x97983392df35cc36;
    public const ulong ValueId = 0xc3e69d34d3ee48d2;
    public const ulong FunctionId = 0xede83a3d96840394;

    public const ushort Evaluate = 0, DefFunction = 1, GetOperator = 2;
    public const ushort ValueRead = 0;
    public const ushort FunctionCall = 0;

    /// <summary>Calculator.Expression: 2 data words, 2 pointers; union tag at bits [64, 80).</summary>
    public static class Expression
    {
        public const int DataWords = 2, Pointers = 2;
        public const int Tag = 4; // u16
        public const int Literal = 0; // f64
        public const int Parameter = 0; // u32
        public const int PreviousResult = 0, Function = 0, Params = 1; // ptrs

        public const ushort IsLiteral = 0, IsPreviousResult = 1, IsParameter = 2, IsCall = 3;
    }

    public enum Operator : ushort
    {
        Add = 0,
        Subtract = 1,
        Multiply = 2,
        Divide = 3,
    }
}
