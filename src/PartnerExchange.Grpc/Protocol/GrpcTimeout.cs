using System.Globalization;

namespace PartnerExchange.Grpc.Protocol;

/// <summary>
/// The <c>grpc-timeout</c> header: at most 8 ASCII digits followed by one unit,
/// H (hours), M (minutes), S (seconds), m (milliseconds), u (microseconds) or n (nanoseconds).
/// </summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Parses a header value; <c>false</c> when it is not in the spec's form.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var ticks = value[^1] switch
        {
            'H' => SafeMultiply(amount, TimeSpan.TicksPerHour),
            'M' => SafeMultiply(amount, TimeSpan.TicksPerMinute),
            'S' => SafeMultiply(amount, TimeSpan.TicksPerSecond),
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10, // 1 tick = 100 ns = 0.1 us
            'n' => (amount + 99) / 100, // round up so a positive timeout never becomes zero
            _ => -1L,
        };
        if (ticks < 0)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout in the smallest unit that keeps it within 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        // Try units from finest to coarsest; the first whose rounded-up value fits is used.
        ReadOnlySpan<(long TicksPerUnit, char Unit)> units =
        [
            (1, 'n'), // handled specially below: ticks*100 ns
            (10, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (perUnit, unit) in units)
        {
            long amount;
            if (unit == 'n')
            {
                if (ticks > MaxValue / 100)
                {
                    continue;
                }

                amount = ticks * 100;
            }
            else
            {
                amount = (ticks + perUnit - 1) / perUnit;
            }

            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }

    private static long SafeMultiply(long amount, long factor) =>
        amount > TimeSpan.MaxValue.Ticks / factor ? TimeSpan.MaxValue.Ticks : amount * factor;
}
