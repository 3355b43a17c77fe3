using Grpc.Core;

namespace Hanzo.Zt.AspNetCore.TestApp;

/// <summary>The Greeter service, written as for any gRPC host.</summary>
internal sealed class GreeterService : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloReply { Message = $"hello {request.Name} over {context.GetHttpContext().Request.Protocol}" });
}
