using Hanzo.Zt.Billing;

namespace Hanzo.Zt.Abstractions.Tests;

public class ZtErrorCodeTests
{
    [Theory]
    [InlineData(ZtErrorCode.AuthFailed, 1, "AUTH_FAILED")]
    [InlineData(ZtErrorCode.NotAuthenticated, 2, "NOT_AUTHENTICATED")]
    [InlineData(ZtErrorCode.Controller, 3, "CONTROLLER")]
    [InlineData(ZtErrorCode.ServiceNotFound, 4, "SERVICE_NOT_FOUND")]
    [InlineData(ZtErrorCode.NoEdgeRouters, 5, "NO_EDGE_ROUTERS")]
    [InlineData(ZtErrorCode.ConnectionFailed, 6, "CONNECTION_FAILED")]
    [InlineData(ZtErrorCode.ConnectionClosed, 7, "CONNECTION_CLOSED")]
    [InlineData(ZtErrorCode.InsufficientBalance, 8, "INSUFFICIENT_BALANCE")]
    [InlineData(ZtErrorCode.Billing, 9, "BILLING")]
    [InlineData(ZtErrorCode.InvalidConfig, 10, "INVALID_CONFIG")]
    [InlineData(ZtErrorCode.Identity, 11, "IDENTITY")]
    [InlineData(ZtErrorCode.Timeout, 12, "TIMEOUT")]
    [InlineData(ZtErrorCode.AccessDenied, 13, "ACCESS_DENIED")]
    [InlineData(ZtErrorCode.Plugin, 14, "PLUGIN")]
    public void Error_codes_keep_their_published_values_and_wire_names(ZtErrorCode code, int value, string wireName)
    {
        ((int)code).ShouldBe(value);
        ZtErrorCodes.ToWireName(code).ShouldBe(wireName);
        ZtErrorCodes.FromWireName(wireName).ShouldBe(code);
    }

    [Fact]
    public void Unknown_wire_names_map_to_Unknown()
    {
        ZtErrorCodes.FromWireName("SOMETHING_NEW").ShouldBe(ZtErrorCode.Unknown);
        ZtErrorCodes.FromWireName(null).ShouldBe(ZtErrorCode.Unknown);
    }

    [Fact]
    public void Insufficient_balance_is_a_billing_error_with_its_own_code()
    {
        ZtException error = new ZtInsufficientBalanceException("hanzo/dev", 0, "usd");

        error.ShouldBeAssignableTo<ZtBillingException>();
        error.ErrorCode.ShouldBe(ZtErrorCode.InsufficientBalance);
        error.Code.ShouldBe("INSUFFICIENT_BALANCE");
        error.Message.ShouldContain("'hanzo/dev' has no positive balance");
    }

    [Fact]
    public void Connection_errors_accept_only_connection_codes()
    {
        new ZtConnectionException(ZtErrorCode.NoEdgeRouters, "none").ErrorCode.ShouldBe(ZtErrorCode.NoEdgeRouters);
        Should.Throw<ArgumentOutOfRangeException>(() => new ZtConnectionException(ZtErrorCode.Billing, "x"));
    }

    [Fact]
    public void Plugin_errors_name_the_plugin()
    {
        var error = new ZtPluginException("Billing.Ledger", "no main assembly");

        error.Message.ShouldBe("plugin 'Billing.Ledger': no main assembly");
        error.PluginName.ShouldBe("Billing.Ledger");
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void Balance_allows_a_dial_only_when_available_is_positive(long available, bool allowed)
    {
        new BalanceResult("hanzo", "usd", 10, 10 - available, available).IsAllowed.ShouldBe(allowed);
    }
}
