using PartnerExchange.Domain;

namespace PartnerExchange.Domain.Tests;

// Rulebook section 7: money is integer minor units (fen) with an ISO 4217 code; never floating point.
public sealed class MoneyTests
{
    [Fact]
    public void Add_SameCurrency_SumsMinorUnits()
    {
        var sum = new Money(1_050, "CNY") + new Money(-300, "CNY");

        Assert.Equal(new Money(750, "CNY"), sum);
    }

    [Fact]
    public void Subtract_SameCurrency_CanGoNegative()
    {
        var net = new Money(10_000, "CNY") - new Money(12_500, "CNY");

        Assert.Equal(-2_500, net.MinorUnits);
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(1, "CNY") + new Money(1, "USD"));
    }

    [Fact]
    public void Add_Overflow_Throws()
    {
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue, "CNY") + new Money(1, "CNY"));
    }

    [Theory]
    [InlineData("cny")]
    [InlineData("CN")]
    [InlineData("CNYY")]
    [InlineData("C1Y")]
    [InlineData("")]
    public void Constructor_NotAnIsoCode_Throws(string currency)
    {
        Assert.Throws<ArgumentException>(() => new Money(1, currency));
    }

    [Fact]
    public void ToString_MinorUnitsAndCode()
    {
        Assert.Equal("12345 CNY", new Money(12_345, "CNY").ToString());
    }
}
