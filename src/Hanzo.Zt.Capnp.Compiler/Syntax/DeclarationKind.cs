namespace Hanzo.Zt.Capnp.Compiler.Syntax;

internal enum DeclarationKind
{
    File,
    Using,
    Const,
    Enum,
    Enumerant,
    Struct,
    Field,
    Union,
    Group,
    Interface,
    Method,
    Annotation,
}
