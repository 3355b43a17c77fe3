using System.Globalization;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Http;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// <c>GET /edge/client/v1/revocations</c>, public like a CRL. Routers poll it with <c>?after=&lt;sequence&gt;</c>,
/// the largest <c>sequence</c> they hold: the store numbers revocations in commit order, so the cursor is valid on
/// every controller sharing the store and nothing committed before a poll is skipped by later ones.
/// <c>?since=&lt;time&gt;</c> (by creation time) is kept for older readers.
/// </summary>
internal static class RevocationFeed
{
    /// <summary>At most this many revocations per answer; a full page means there are more.</summary>
    public const int PageSize = 1000;

    public static async Task<IResult> ReadAsync(HttpContext context, ControllerState state)
    {
        var query = context.Request.Query;
        IEnumerable<RevocationRecord> items;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                throw new ApiException(400, "INVALID_PARAMETER", "'since' must be an ISO 8601 time", new { field = "since" });
            var now = state.Now;
            items = (await state.Store.Revocations.ListAsync(context.RequestAborted))
                .Where(r => (r.ExpiresAt is null || r.ExpiresAt > now) && r.CreatedAt > since)
                .OrderBy(r => r.Sequence);
        }
        else
        {
            var afterText = query["after"].ToString();
            long after = 0;
            if (afterText.Length > 0 && (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
                throw new ApiException(400, "INVALID_PARAMETER", "'after' must be a revocation sequence number (0 or more)", new { field = "after" });
            items = await state.Store.ReadRevocationsAfterAsync(after, PageSize, context.RequestAborted);
        }

        var list = items.Select(r => new { id = r.Id, sequence = r.Sequence, type = r.Type, target = r.Target, createdAt = r.CreatedAt, expiresAt = r.ExpiresAt }).ToList();
        return Envelope.List(list, PageSize, 0, list.Count);
    }
}
