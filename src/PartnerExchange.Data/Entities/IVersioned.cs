namespace PartnerExchange.Data.Entities;

/// <summary>An entity with an optimistic-concurrency version that serves as its etag.</summary>
public interface IVersioned
{
    /// <summary>
    /// Gets or sets the concurrency version: 0 when inserted and incremented by the context on every update that saves
    /// the entity. An update whose original version no longer matches the row fails with a concurrency exception.
    /// </summary>
    int Version { get; set; }
}
