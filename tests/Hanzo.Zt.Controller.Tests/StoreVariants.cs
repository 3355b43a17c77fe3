using Hanzo.Zt.Testing;

[assembly: TestFramework("Hanzo.Zt.Testing.PostgresTestFramework", "Hanzo.Zt.Controller.Tests")]

namespace Hanzo.Zt.Controller.Tests;

// The controller suite runs on both stores: each class here runs its base class's tests on one of them.

public sealed class ClientApiTestsOnSqlite(ControllerFixture fixture) : ClientApiTests(fixture), IClassFixture<ControllerFixture>;
public sealed class ClientApiTestsOnPostgreSql(PostgreSqlControllerFixture fixture) : ClientApiTests(fixture), IClassFixture<PostgreSqlControllerFixture>;

public sealed class EnrollmentTestsOnSqlite(ControllerFixture fixture) : EnrollmentTests(fixture), IClassFixture<ControllerFixture>;
public sealed class EnrollmentTestsOnPostgreSql(PostgreSqlControllerFixture fixture) : EnrollmentTests(fixture), IClassFixture<PostgreSqlControllerFixture>;

public sealed class ManagementApiTestsOnSqlite(ControllerFixture fixture) : ManagementApiTests(fixture), IClassFixture<ControllerFixture>;
public sealed class ManagementApiTestsOnPostgreSql(PostgreSqlControllerFixture fixture) : ManagementApiTests(fixture), IClassFixture<PostgreSqlControllerFixture>;

public sealed class PolicySemanticsTestsOnSqlite(ControllerFixture fixture) : PolicySemanticsTests(fixture), IClassFixture<ControllerFixture>;
public sealed class PolicySemanticsTestsOnPostgreSql(PostgreSqlControllerFixture fixture) : PolicySemanticsTests(fixture), IClassFixture<PostgreSqlControllerFixture>;

public sealed class RobustnessTestsOnSqlite(ControllerFixture fixture) : RobustnessTests(fixture), IClassFixture<ControllerFixture>;
public sealed class RobustnessTestsOnPostgreSql(PostgreSqlControllerFixture fixture) : RobustnessTests(fixture), IClassFixture<PostgreSqlControllerFixture>;

public sealed class ExternalJwtTestsOnSqlite(ExternalJwtFixture fixture) : ExternalJwtTests(fixture), IClassFixture<ExternalJwtFixture>;
public sealed class ExternalJwtTestsOnPostgreSql(PostgreSqlExternalJwtFixture fixture) : ExternalJwtTests(fixture), IClassFixture<PostgreSqlExternalJwtFixture>;

/// <summary>The external JWT fixture on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlExternalJwtFixture() : ExternalJwtFixture(postgreSql: true);
