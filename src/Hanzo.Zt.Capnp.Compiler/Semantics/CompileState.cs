namespace Hanzo.Zt.Capnp.Compiler.Semantics;

// Lazy evaluation with cycle detection for things that depend on each other (constants).
internal enum CompileState
{
    NotStarted,
    InProgress,
    Done,
}
