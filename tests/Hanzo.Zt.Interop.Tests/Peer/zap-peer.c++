// A C++ peer built on the reference Cap'n Proto RPC (EzRpc), for interop tests with ZAP.
//
//   zap-peer calc-serve  <host:port>   serve a Calculator
//   zap-peer calc-client <host:port>   run the Calculator checks against a server
//   zap-peer probe-serve <host:port>   serve a Probe
//   zap-peer probe-client <host:port>  run the Probe checks against a server, ending with a call that hangs
//   zap-peer bench-client <host:port> <sequential> <pipelined>
//                                       time add() calls on a Calculator: round trips one at a time, then
//                                       <pipelined> calls with 64 in flight; prints one line of results
//
// Servers print "listening on port <n>" once bound. Clients print one "<check>: PASS" or
// "<check>: FAIL <why>" line per check and exit 0 only when every check passed.

#include <capnp/ez-rpc.h>
#include <capnp/message.h>
#include <kj/debug.h>
#include <kj/async.h>
#include <unistd.h>
#include <cmath>
#include <cstring>
#include <iostream>
#include <algorithm>
#include <chrono>
#include <vector>
#include "calculator.capnp.h"
#include "probe.capnp.h"

namespace {

using Expr = Calculator::Expression;

class HeldValue final : public Calculator::Value::Server {
public:
  explicit HeldValue(double v) : v_(v) {}
  kj::Promise<void> read(ReadContext context) override {
    context.getResults().setValue(v_);
    return kj::READY_NOW;
  }
private:
  double v_;
};

kj::Promise<double> readValue(Calculator::Value::Client value) {
  return value.readRequest().send().then([](capnp::Response<Calculator::Value::ReadResults>&& r) {
    return r.getValue();
  });
}

kj::Promise<double> apply(Calculator::Function::Client fn, kj::Array<double> args) {
  auto request = fn.callRequest();
  auto list = request.initParams(args.size());
  for (size_t i = 0; i < args.size(); ++i) list.set(i, args[i]);
  return request.send().then([](capnp::Response<Calculator::Function::CallResults>&& r) {
    return r.getValue();
  });
}

kj::Promise<double> eval(Expr::Reader e, kj::ArrayPtr<const double> args) {
  switch (e.which()) {
    case Expr::LITERAL:
      return e.getLiteral();
    case Expr::PREVIOUS_RESULT:
      return readValue(e.getPreviousResult());
    case Expr::PARAMETER: {
      auto i = e.getParameter();
      KJ_REQUIRE(i < args.size(), "parameter index out of range", i);
      return args[i];
    }
    case Expr::CALL: {
      auto call = e.getCall();
      auto fn = call.getFunction();
      auto operands = call.getParams();
      auto pending = kj::heapArrayBuilder<kj::Promise<double>>(operands.size());
      for (auto operand : operands) pending.add(eval(operand, args));
      return kj::joinPromises(pending.finish()).then(
          [fn = kj::mv(fn)](kj::Array<double>&& values) mutable { return apply(kj::mv(fn), kj::mv(values)); });
    }
  }
  KJ_FAIL_REQUIRE("unknown expression kind");
}

class Arithmetic final : public Calculator::Function::Server {
public:
  explicit Arithmetic(Calculator::Operator op) : op_(op) {}
  kj::Promise<void> call(CallContext context) override {
    auto p = context.getParams().getParams();
    KJ_REQUIRE(p.size() == 2, "an operator takes two parameters");
    double r = 0;
    switch (op_) {
      case Calculator::Operator::ADD: r = p[0] + p[1]; break;
      case Calculator::Operator::SUBTRACT: r = p[0] - p[1]; break;
      case Calculator::Operator::MULTIPLY: r = p[0] * p[1]; break;
      case Calculator::Operator::DIVIDE: r = p[0] / p[1]; break;
    }
    context.getResults().setValue(r);
    return kj::READY_NOW;
  }
private:
  Calculator::Operator op_;
};

class Defined final : public Calculator::Function::Server {
public:
  Defined(uint32_t arity, Expr::Reader body) : arity_(arity) { body_.setRoot(body); }
  kj::Promise<void> call(CallContext context) override {
    auto p = context.getParams().getParams();
    KJ_REQUIRE(p.size() == arity_, "wrong number of parameters");
    auto values = kj::heapArray<double>(p.size());
    for (size_t i = 0; i < p.size(); ++i) values[i] = p[i];
    auto result = eval(body_.getRoot<Expr>().asReader(), values);
    return result.attach(kj::mv(values)).then([context](double v) mutable {
      context.getResults().setValue(v);
    });
  }
private:
  uint32_t arity_;
  capnp::MallocMessageBuilder body_;
};

class CalculatorService final : public Calculator::Server {
public:
  kj::Promise<void> evaluate(EvaluateContext context) override {
    return eval(context.getParams().getExpression(), nullptr).then([context](double v) mutable {
      context.getResults().setValue(kj::heap<HeldValue>(v));
    });
  }
  kj::Promise<void> defFunction(DefFunctionContext context) override {
    auto p = context.getParams();
    context.getResults().setFunc(kj::heap<Defined>(p.getParamCount(), p.getBody()));
    return kj::READY_NOW;
  }
  kj::Promise<void> getOperator(GetOperatorContext context) override {
    context.getResults().setFunc(kj::heap<Arithmetic>(context.getParams().getOp()));
    return kj::READY_NOW;
  }
};

class ProbeService final : public Probe::Server {
public:
  kj::Promise<void> fail(FailContext context) override {
    auto p = context.getParams();
    auto type = static_cast<kj::Exception::Type>(p.getType());
    return kj::Exception(type, __FILE__, __LINE__, kj::heapString(p.getReason()));
  }
  kj::Promise<void> hang(HangContext) override { return kj::NEVER_DONE; }
  kj::Promise<void> crash(CrashContext) override {
    std::cout.flush();
    _exit(3);
  }
  kj::Promise<void> calculator(CalculatorContext context) override {
    context.getResults().setCalculator(kj::heap<CalculatorService>());
    return kj::READY_NOW;
  }
  kj::Promise<void> echoCapability(EchoCapabilityContext context) override {
    context.getResults().setValue(context.getParams().getValue());
    return kj::READY_NOW;
  }
  kj::Promise<void> readBack(ReadBackContext context) override {
    return readValue(context.getParams().getValue()).then([context](double v) mutable {
      context.getResults().setRead(v);
    });
  }
};

const char* typeName(kj::Exception::Type t) {
  switch (t) {
    case kj::Exception::Type::FAILED: return "failed";
    case kj::Exception::Type::OVERLOADED: return "overloaded";
    case kj::Exception::Type::DISCONNECTED: return "disconnected";
    case kj::Exception::Type::UNIMPLEMENTED: return "unimplemented";
  }
  return "unknown";
}

struct Checks {
  kj::WaitScope& ws;
  bool ok = true;

  template <typename F>
  void run(const char* name, F&& check) {
    std::cout << name << ": ";
    std::cout.flush();
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { check(); })) {
      std::cout << "FAIL " << typeName(e->getType()) << " " << e->getDescription().cStr() << std::endl;
      ok = false;
      return;
    }
    std::cout << "PASS" << std::endl;
  }

  void expect(double actual, double wanted) {
    KJ_REQUIRE(actual == wanted, "wrong result", actual, wanted);
  }
};

Calculator::Function::Client op(Calculator::Client& calc, Calculator::Operator which) {
  auto request = calc.getOperatorRequest();
  request.setOp(which);
  return request.send().getFunc();
}

void setCall(Expr::Builder e, Calculator::Function::Client fn, std::initializer_list<double> literals) {
  auto call = e.initCall();
  call.setFunction(kj::mv(fn));
  auto params = call.initParams(literals.size());
  unsigned i = 0;
  for (double v : literals) params[i++].setLiteral(v);
}

int calcClient(capnp::EzRpcClient& client) {
  auto& ws = client.getWaitScope();
  auto calc = client.getMain<Calculator>();
  Checks c{ws};

  c.run("literal", [&]() {
    auto request = calc.evaluateRequest();
    request.getExpression().setLiteral(123);
    c.expect(readValue(request.send().getValue()).wait(ws), 123);
  });

  c.run("operators", [&]() {
    auto request = calc.evaluateRequest();
    auto outer = request.getExpression().initCall();
    outer.setFunction(op(calc, Calculator::Operator::SUBTRACT));
    auto params = outer.initParams(2);
    setCall(params[0], op(calc, Calculator::Operator::ADD), {123, 45});
    params[1].setLiteral(67);
    c.expect(readValue(request.send().getValue()).wait(ws), 101);
  });

  c.run("pipelining", [&]() {
    auto product = calc.evaluateRequest();
    setCall(product.getExpression(), op(calc, Calculator::Operator::MULTIPLY), {4, 6});
    auto productValue = product.send().getValue();
    auto plus = [&](double n) {
      auto request = calc.evaluateRequest();
      auto call = request.getExpression().initCall();
      call.setFunction(op(calc, Calculator::Operator::ADD));
      auto params = call.initParams(2);
      params[0].setPreviousResult(productValue);
      params[1].setLiteral(n);
      return readValue(request.send().getValue());
    };
    auto three = plus(3);
    auto five = plus(5);
    c.expect(three.wait(ws), 27);
    c.expect(five.wait(ws), 29);
  });

  c.run("functions", [&]() {
    // h(x, y) = x * 10 - y
    auto def = calc.defFunctionRequest();
    def.setParamCount(2);
    auto call = def.getBody().initCall();
    call.setFunction(op(calc, Calculator::Operator::SUBTRACT));
    auto params = call.initParams(2);
    auto inner = params[0].initCall();
    inner.setFunction(op(calc, Calculator::Operator::MULTIPLY));
    auto innerParams = inner.initParams(2);
    innerParams[0].setParameter(0);
    innerParams[1].setLiteral(10);
    params[1].setParameter(1);
    auto h = def.send().getFunc();
    auto request = calc.evaluateRequest();
    setCall(request.getExpression(), h, {7, 4});
    c.expect(readValue(request.send().getValue()).wait(ws), 66);
  });

  c.run("callback", [&]() {
    class Hypot final : public Calculator::Function::Server {
    public:
      kj::Promise<void> call(CallContext context) override {
        auto p = context.getParams().getParams();
        KJ_REQUIRE(p.size() == 2);
        context.getResults().setValue(std::sqrt(p[0] * p[0] + p[1] * p[1]));
        return kj::READY_NOW;
      }
    };
    auto request = calc.evaluateRequest();
    setCall(request.getExpression(), kj::heap<Hypot>(), {3, 4});
    c.expect(readValue(request.send().getValue()).wait(ws), 5);
  });

  return c.ok ? 0 : 1;
}

int probeClient(capnp::EzRpcClient& client) {
  auto& ws = client.getWaitScope();
  auto probe = client.getMain<Probe>();
  Checks c{ws};

  for (uint16_t type = 0; type < 4; ++type) {
    auto name = kj::str("exception-", typeName(static_cast<kj::Exception::Type>(type)));
    c.run(name.cStr(), [&]() {
      auto request = probe.failRequest();
      request.setType(type);
      request.setReason("raised on request");
      KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { request.send().wait(ws); })) {
        KJ_REQUIRE(e->getType() == static_cast<kj::Exception::Type>(type), "wrong exception type", typeName(e->getType()));
        KJ_REQUIRE(strstr(e->getDescription().cStr(), "raised on request") != nullptr, "reason lost", e->getDescription());
        return;
      }
      KJ_FAIL_REQUIRE("the call did not fail");
    });
  }

  c.run("pipelined-calculator", [&]() {
    auto calc = probe.calculatorRequest().send().getCalculator();
    auto request = calc.evaluateRequest();
    request.getExpression().setLiteral(7);
    c.expect(readValue(request.send().getValue()).wait(ws), 7);
  });

  c.run("capability-round-trip", [&]() {
    auto request = probe.echoCapabilityRequest();
    request.setValue(kj::heap<HeldValue>(42));
    auto echoed = request.send().getValue();
    c.expect(readValue(echoed).wait(ws), 42);
  });

  c.run("callback", [&]() {
    auto request = probe.readBackRequest();
    request.setValue(kj::heap<HeldValue>(9.5));
    c.expect(request.send().wait(ws).getRead(), 9.5);
  });

  std::cout << "hanging" << std::endl;
  KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { probe.hangRequest().send().wait(ws); })) {
    std::cout << "hang: " << typeName(e->getType()) << std::endl;
  } else {
    std::cout << "hang: returned" << std::endl;
  }

  return c.ok ? 0 : 1;
}

kj::Promise<void> benchLane(Calculator::Function::Client& fn, int& remaining) {
  if (remaining <= 0) return kj::READY_NOW;
  --remaining;
  auto request = fn.callRequest();
  auto params = request.initParams(2);
  params.set(0, 1);
  params.set(1, 2);
  return request.send().then([&fn, &remaining](capnp::Response<Calculator::Function::CallResults>&&) {
    return benchLane(fn, remaining);
  });
}

int benchClient(capnp::EzRpcClient& client, int sequential, int pipelined) {
  using Clock = std::chrono::steady_clock;
  auto& ws = client.getWaitScope();
  auto calc = client.getMain<Calculator>();
  auto add = op(calc, Calculator::Operator::ADD);
  auto once = [&]() {
    auto request = add.callRequest();
    auto params = request.initParams(2);
    params.set(0, 1);
    params.set(1, 2);
    return request.send().wait(ws).getValue();
  };
  for (int i = 0; i < 2000; ++i) once();

  std::vector<double> micros;
  micros.reserve(sequential);
  for (int i = 0; i < sequential; ++i) {
    auto start = Clock::now();
    once();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());

  int remaining = pipelined;
  auto start = Clock::now();
  auto lanes = kj::heapArrayBuilder<kj::Promise<void>>(64);
  for (int i = 0; i < 64; ++i) lanes.add(benchLane(add, remaining));
  kj::joinPromises(lanes.finish()).wait(ws);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::cout << "p50_us=" << micros[micros.size() / 2] << " p99_us=" << micros[micros.size() * 99 / 100]
            << " calls_per_s=" << (pipelined / seconds) << std::endl;
  return 0;
}

template <typename Service>
int serve(const char* address) {
  capnp::EzRpcServer server(kj::heap<Service>(), address);
  auto& ws = server.getWaitScope();
  uint port = server.getPort().wait(ws);
  std::cout << "listening on port " << port << std::endl;
  kj::NEVER_DONE.wait(ws);
}

}  // namespace

int main(int argc, const char* argv[]) {
  if (argc == 5 && kj::StringPtr(argv[1]) == "bench-client") {
    capnp::EzRpcClient client(argv[2]);
    return benchClient(client, atoi(argv[3]), atoi(argv[4]));
  }
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " calc-serve|calc-client|probe-serve|probe-client HOST:PORT" << std::endl;
    return 2;
  }
  kj::StringPtr mode = argv[1];
  if (mode == "calc-serve") return serve<CalculatorService>(argv[2]);
  if (mode == "probe-serve") return serve<ProbeService>(argv[2]);
  capnp::EzRpcClient client(argv[2]);
  if (mode == "calc-client") return calcClient(client);
  if (mode == "probe-client") return probeClient(client);
  std::cerr << "unknown mode " << mode.cStr() << std::endl;
  return 2;
}
