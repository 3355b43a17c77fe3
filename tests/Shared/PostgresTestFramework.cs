using Xunit.Abstractions;
using Xunit.Sdk;

namespace Hanzo.Zt.Testing;

/// <summary>
/// The xunit framework with one addition: where PostgreSQL is not installed, the tests of classes whose names end in
/// <c>OnPostgreSql</c> are reported as skipped, each with the one line saying why, instead of failing.
/// </summary>
public sealed class PostgresTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <summary>The suffix of test classes that need a PostgreSQL server.</summary>
    public const string ClassSuffix = "OnPostgreSql";

    /// <inheritdoc />
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, sources, sink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgresServer.UnavailableReason is { } reason
                && testMethod.TestClass.Class.Name.EndsWith(ClassSuffix, StringComparison.Ordinal)
                && testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                var skipped = new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
                return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
            }
            return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
        }
    }
}
