namespace Hanzo.Zt.Capnp.Compiler.Syntax;

internal enum TokenKind
{
    EndOfFile,
    Identifier,
    Integer,
    Float,
    String,
    Binary,

    // One of @ : ; , . = ( ) [ ] { } $ - * or the two-character "->".
    Symbol,
}
