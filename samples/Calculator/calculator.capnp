@0x85150b117366d14b;
# The Calculator interface of the Cap'n Proto sample programs: the same file id and names, so the type ids
# match and this sample talks to the reference calculator client and server.

interface Calculator {
  # Evaluates arithmetic expressions. Functions are capabilities and values are promises, so a client can
  # chain whole computations in one round trip.

  evaluate @0 (expression :Expression) -> (value :Value);
  # Evaluates the expression; the result is a Value capability so it can be pipelined into further calls.

  struct Expression {
    union {
      literal @0 :Float64;
      previousResult @1 :Value;
      parameter @2 :UInt32;
      # Only valid inside the body of a function defined with defFunction.
      call :group {
        function @3 :Function;
        params @4 :List(Expression);
      }
    }
  }

  interface Value {
    read @0 () -> (value :Float64);
  }

  defFunction @1 (paramCount :Int32, body :Expression) -> (func :Function);
  # Defines a function of paramCount parameters whose body refers to them with `parameter`.

  interface Function {
    call @0 (params :List(Float64)) -> (value :Float64);
  }

  getOperator @2 (op :Operator) -> (func :Function);
  # A function for one of the four arithmetic operators.

  enum Operator {
    add @0;
    subtract @1;
    multiply @2;
    divide @3;
  }
}
