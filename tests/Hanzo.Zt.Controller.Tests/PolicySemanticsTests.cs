using System.Net;
using Hanzo.Zt.Controller.Policies;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

public class PolicyEvaluatorTests
{
    private static readonly string[] Attributes = ["eng", "eu"];

    [Theory]
    [InlineData("AnyOf", new[] { "#eng" }, true)]
    [InlineData("AnyOf", new[] { "#ops", "#eu" }, true)]
    [InlineData("AnyOf", new[] { "#ops" }, false)]
    [InlineData("AllOf", new[] { "#eng", "#eu" }, true)]
    [InlineData("AllOf", new[] { "#eng", "#us" }, false)]
    [InlineData("AnyOf", new[] { "@id1" }, true)]
    [InlineData("AnyOf", new[] { "@web" }, true)]
    [InlineData("AnyOf", new[] { "@id2" }, false)]
    [InlineData("AllOf", new[] { "@id1", "#eng" }, true)]
    [InlineData("AnyOf", new[] { "#all" }, true)]
    [InlineData("AllOf", new[] { "#all" }, true)]
    [InlineData("AnyOf", new string[0], false)]
    [InlineData("AnyOf", new[] { "eng" }, false)]
    public void Roles_select_by_attribute_id_or_all_under_the_semantic(string semantic, string[] roles, bool selected)
    {
        PolicyEvaluator.Selects(semantic, roles, "id1", "web", Attributes).ShouldBe(selected);
    }
}

/// <summary>Policy semantics through the API: what an identity sees and may dial.</summary>
public abstract class PolicySemanticsTests(ControllerFixture fixture)
{
    private async Task<bool> CanDialAsync(ZtApi api, string serviceId) =>
        (await api.PostAsync("/edge/client/v1/sessions", new { serviceId, type = "Dial" })).Status == HttpStatusCode.Created;

    [Fact]
    public async Task AllOf_needs_every_attribute_and_AnyOf_just_one()
    {
        var (a, b) = (Unique("a"), Unique("b"));
        var (_, both) = await fixture.CreateUserAsync(Unique("both"), a, b);
        var (_, onlyA) = await fixture.CreateUserAsync(Unique("only-a"), a);
        var allOfService = await fixture.CreateAsync("services", new { name = Unique("all-of"), roleAttributes = new[] { a } });
        var anyOfService = await fixture.CreateAsync("services", new { name = Unique("any-of"), roleAttributes = new[] { b } });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", semantic = "AllOf", serviceRoles = new[] { "@" + allOfService }, identityRoles = new[] { "#" + a, "#" + b } });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", semantic = "AnyOf", serviceRoles = new[] { "#" + b }, identityRoles = new[] { "#" + a, "#" + b } });

        (await CanDialAsync(both, allOfService)).ShouldBeTrue();
        (await CanDialAsync(onlyA, allOfService)).ShouldBeFalse();
        (await CanDialAsync(both, anyOfService)).ShouldBeTrue();
        (await CanDialAsync(onlyA, anyOfService)).ShouldBeTrue();
    }

    [Fact]
    public async Task At_id_selects_one_identity_and_hash_all_every_identity()
    {
        var (aliceId, alice) = await fixture.CreateUserAsync(Unique("alice"));
        var (_, bob) = await fixture.CreateUserAsync(Unique("bob"));
        var privateService = await fixture.CreateAsync("services", new { name = Unique("private") });
        var publicService = await fixture.CreateAsync("services", new { name = Unique("public") });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "@" + privateService }, identityRoles = new[] { "@" + aliceId } });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "@" + publicService }, identityRoles = new[] { "#all" } });

        (await CanDialAsync(alice, privateService)).ShouldBeTrue();
        (await CanDialAsync(bob, privateService)).ShouldBeFalse();
        (await CanDialAsync(bob, publicService)).ShouldBeTrue();
    }

    [Fact]
    public async Task Changing_an_identity_attribute_changes_what_it_may_dial()
    {
        var attr = Unique("ops");
        var (id, api) = await fixture.CreateUserAsync(Unique("carol"));
        var service = await fixture.CreateAsync("services", new { name = Unique("svc") });
        await fixture.CreateAsync("service-policies", new { name = Unique("p"), type = "Dial", serviceRoles = new[] { "@" + service }, identityRoles = new[] { "#" + attr } });
        (await CanDialAsync(api, service)).ShouldBeFalse();

        (await fixture.Admin.PatchAsync($"/edge/management/v1/identities/{id}", new { roleAttributes = new[] { attr } })).ShouldBeOk();

        (await CanDialAsync(api, service)).ShouldBeTrue();
    }
}
