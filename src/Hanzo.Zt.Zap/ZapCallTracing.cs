using System.Diagnostics;
using System.Globalization;
using Hanzo.Zt.Diagnostics;
using Hanzo.Zt.Zap.Capabilities;

namespace Hanzo.Zt.Zap;

/// <summary>The <c>zap.call</c> span of each call sent, from <c>Send</c> until its results or failure arrive.</summary>
internal static class ZapCallTracing
{
    /// <summary>Starts a span for a call about to be sent, when someone listens.</summary>
    public static Activity? Start(ulong interfaceId, ushort methodId)
    {
        if (!ZtDiagnostics.ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ZtDiagnostics.ActivitySource.StartActivity(ZtDiagnostics.ZapCallActivity, ActivityKind.Client);
        activity?.SetTag("rpc.system", "zap");
        activity?.SetTag("zap.interface_id", "0x" + interfaceId.ToString("x16", CultureInfo.InvariantCulture));
        activity?.SetTag("zap.method_id", methodId);
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/> when <paramref name="promise"/> settles (or at once when the call failed to send).</summary>
    public static void EndWhenSettled(Activity activity, PromiseCore? promise)
    {
        // The span covers the call only; the caller's own activity is current again.
        Activity.Current = activity.Parent;
        if (promise is null)
        {
            activity.SetStatus(ActivityStatusCode.Error, "the call could not be sent");
            activity.Dispose();
            return;
        }

        promise.Task.ContinueWith(
            static (task, state) =>
            {
                var span = (Activity)state!;
                if (!task.IsCompletedSuccessfully)
                {
                    span.SetStatus(ActivityStatusCode.Error, task.Exception?.InnerException?.Message ?? "canceled");
                }

                span.Dispose();
            },
            activity,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
