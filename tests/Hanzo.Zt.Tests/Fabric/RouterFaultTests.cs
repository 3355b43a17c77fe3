using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Tests.Fabric;

/// <summary>A router's (or, through it, a host's) refusal of a circuit becomes the dialer's typed error.</summary>
public sealed class RouterFaultTests
{
    public static TheoryData<int> EveryCode() => [.. Enum.GetValues<ZtErrorCode>().Select(c => (int)c).Append(999)];

    [Theory]
    [MemberData(nameof(EveryCode))]
    public void Any_code_a_peer_sends_becomes_an_error_without_throwing(int code)
    {
        var error = RouterLink.FaultError((ZtErrorCode)code, "refused");

        error.Message.ShouldBe("refused");
        error.ShouldBeAssignableTo<ZtException>();
    }

    [Theory]
    [InlineData(ZtErrorCode.AccessDenied, typeof(ZtAccessDeniedException), ZtErrorCode.AccessDenied)]
    [InlineData(ZtErrorCode.SessionLimit, typeof(ZtConnectionException), ZtErrorCode.SessionLimit)]
    [InlineData(ZtErrorCode.ServiceNotFound, typeof(ZtConnectionException), ZtErrorCode.ConnectionFailed)]
    [InlineData(ZtErrorCode.Timeout, typeof(ZtConnectionException), ZtErrorCode.ConnectionFailed)]
    public void Known_refusals_keep_their_meaning(ZtErrorCode sent, Type type, ZtErrorCode code)
    {
        var error = RouterLink.FaultError(sent, "refused");

        error.ShouldBeOfType(type);
        error.ErrorCode.ShouldBe(code);
    }
}
