using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PartnerExchange.Data;

/// <summary>
/// Stores an instant as its UTC ticks (100 ns since 0001-01-01) in a 64-bit integer column and reads it back with
/// offset zero. Chosen because it behaves identically on SQLite (no native date type; EF cannot compare or order
/// <see cref="DateTimeOffset"/> text there) and PostgreSQL (timestamptz keeps only microseconds), keeps full
/// precision, and sorts and compares as plain integers.
/// </summary>
public sealed class UtcTicksConverter : ValueConverter<DateTimeOffset, long>
{
    /// <summary>Creates the converter.</summary>
    public UtcTicksConverter()
        : base(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero))
    {
    }
}
