namespace PartnerExchange.Domain;

/// <summary>An amount of money in integer minor units (fen for CNY) with its ISO 4217 currency code; never floating point.</summary>
public readonly record struct Money
{
    /// <summary>Creates an amount; the currency must be three upper-case ASCII letters.</summary>
    public Money(long minorUnits, string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (!IsCurrencyCode(currency))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code (three upper-case letters).", nameof(currency));
        }

        MinorUnits = minorUnits;
        Currency = currency;
    }

    /// <summary>Gets the amount in minor units (1 CNY = 100 fen).</summary>
    public long MinorUnits { get; }

    /// <summary>Gets the ISO 4217 currency code, e.g. <c>CNY</c>.</summary>
    public string Currency { get; }

    /// <summary>Adds two amounts of the same currency; throws on a currency mismatch or overflow.</summary>
    public static Money operator +(Money left, Money right) => new(checked(left.MinorUnits + SameCurrency(left, right).MinorUnits), left.Currency);

    /// <summary>Subtracts an amount of the same currency; throws on a currency mismatch or overflow.</summary>
    public static Money operator -(Money left, Money right) => new(checked(left.MinorUnits - SameCurrency(left, right).MinorUnits), left.Currency);

    /// <summary>Whether the text is a syntactically valid ISO 4217 code (three upper-case ASCII letters).</summary>
    public static bool IsCurrencyCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    /// <summary>Adds two amounts (same as <c>+</c>).</summary>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Subtracts two amounts (same as <c>-</c>).</summary>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Formats as minor units and currency, e.g. <c>12345 CNY</c>.</summary>
    public override string ToString() => $"{MinorUnits} {Currency}";

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency
            ? right
            : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
