using System.Globalization;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Hosting;
using Hanzo.Zt.Controller.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hanzo.Zt.Controller.Api;

/// <summary>
/// List, create, read, update (PATCH merges, PUT too) and delete for one management entity, admin only.
/// Reads carry an <c>ETag</c> (the entity version); a write with <c>If-Match</c> fails with 412 when it is stale.
/// </summary>
internal sealed class CrudEndpoints<TRecord, TBody>
    where TRecord : StoredEntity
    where TBody : class
{
    public required string Path { get; init; }
    public required string Kind { get; init; }
    public required Func<IControllerStore, IEntityRepository<TRecord>> Repository { get; init; }

    /// <summary>Builds a new entity (existing is null) or merges the body into an existing one; validates.</summary>
    public required Func<TBody, TRecord?, ControllerState, TRecord> Build { get; init; }

    public required Func<TRecord, ControllerState, CancellationToken, Task<object>> View { get; init; }

    public Func<TBody, TRecord, ControllerState, CancellationToken, Task>? AfterWrite { get; init; }

    /// <summary>Runs before a delete; throws to refuse it.</summary>
    public Func<TRecord, ControllerState, CancellationToken, Task>? BeforeDelete { get; init; }

    /// <summary>Deletes what belonged to the entity, in the transaction that deletes it.</summary>
    public Func<TRecord, IControllerStore, CancellationToken, Task>? AfterDelete { get; init; }

    /// <summary>Runs after the delete committed: ends and revokes what the entity granted (each step its own transaction).</summary>
    public Func<TRecord, ControllerState, CancellationToken, Task>? AfterDeleteCommitted { get; init; }

    public void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var query = RequestReader.ReadQuery(context.Request);
            var page = await Repository(state.Store).QueryAsync(query, context.RequestAborted);
            var items = new List<object>();
            foreach (var item in page.Items) items.Add(await View(item, state, context.RequestAborted));
            return Envelope.List(items, query.Limit, query.Offset, page.TotalCount);
        });

        api.MapPost(Path, async (HttpContext context, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var body = await RequestReader.ReadJsonAsync<TBody>(context);
            var created = await Repository(state.Store).CreateAsync(Build(body, null, state), context.RequestAborted);
            if (AfterWrite is not null) await AfterWrite(body, created, state, context.RequestAborted);
            context.Response.Headers.ETag = Etag(created);
            return Envelope.Created(await View(created, state, context.RequestAborted));
        });

        api.MapGet(Path + "/{id}", async (HttpContext context, string id, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var entity = await GetAsync(state, id, context.RequestAborted);
            context.Response.Headers.ETag = Etag(entity);
            return Envelope.Ok(await View(entity, state, context.RequestAborted));
        });

        api.MapPatch(Path + "/{id}", UpdateAsync);
        api.MapPut(Path + "/{id}", UpdateAsync);

        api.MapDelete(Path + "/{id}", async (HttpContext context, string id, ApiSessionResolver sessions, ControllerState state) =>
        {
            await sessions.RequireAdminAsync(context);
            var entity = await GetAsync(state, id, context.RequestAborted);
            CheckIfMatch(context, entity);
            if (BeforeDelete is not null) await BeforeDelete(entity, state, context.RequestAborted);
            await state.Store.InTransactionAsync(async (store, ct) =>
            {
                await Repository(store).DeleteAsync(id, ct);
                if (AfterDelete is not null) await AfterDelete(entity, store, ct);
                return true;
            }, context.RequestAborted);
            if (AfterDeleteCommitted is not null) await AfterDeleteCommitted(entity, state, context.RequestAborted);
            return Envelope.Empty();
        });
    }

    private async Task<IResult> UpdateAsync(HttpContext context, string id, ApiSessionResolver sessions, ControllerState state)
    {
        await sessions.RequireAdminAsync(context);
        var body = await RequestReader.ReadJsonAsync<TBody>(context);
        var existing = await GetAsync(state, id, context.RequestAborted);
        CheckIfMatch(context, existing);
        TRecord updated;
        try
        {
            updated = await Repository(state.Store).UpdateAsync(Build(body, existing, state) with { Id = existing.Id, Version = existing.Version }, context.RequestAborted);
        }
        catch (StoreConflictException) when (context.Request.Headers.IfMatch.Count > 0)
        {
            // Changed between the read above and the write (perhaps through another controller): the precondition failed.
            throw new ApiException(412, "PRECONDITION_FAILED", $"{Kind} '{existing.Name}' changed after version {existing.Version}; read it again and retry");
        }
        if (AfterWrite is not null) await AfterWrite(body, updated, state, context.RequestAborted);
        context.Response.Headers.ETag = Etag(updated);
        return Envelope.Ok(await View(updated, state, context.RequestAborted));
    }

    private async Task<TRecord> GetAsync(ControllerState state, string id, CancellationToken cancellationToken) =>
        await Repository(state.Store).GetAsync(id, cancellationToken) ?? throw ApiException.NotFound(Kind, id);

    private static string Etag(TRecord entity) => "\"" + entity.Version.ToString(CultureInfo.InvariantCulture) + "\"";

    private void CheckIfMatch(HttpContext context, TRecord entity)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch.Trim() != Etag(entity))
            throw new ApiException(412, "PRECONDITION_FAILED",
                $"{Kind} '{entity.Name}' is at version {entity.Version}, not {ifMatch}; read it again and retry");
    }
}
