namespace PartnerExchange.Data.Tests;

public sealed class ClientSecretHasherTests
{
    [Fact]
    public void Verify_RightSecret_True()
    {
        // Arrange
        var hash = ClientSecretHasher.Hash("s3cret");

        // Act
        var ok = ClientSecretHasher.Verify("s3cret", hash);

        // Assert
        Assert.True(ok);
        Assert.StartsWith("pbkdf2-sha256$100000$", hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_SameSecretTwice_DifferentSalts()
    {
        // Act
        var a = ClientSecretHasher.Hash("s3cret");
        var b = ClientSecretHasher.Hash("s3cret");

        // Assert
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("s3cret ")]
    [InlineData("")]
    public void Verify_WrongSecret_False(string secret)
    {
        // Arrange
        var hash = ClientSecretHasher.Hash("s3cret");

        // Act
        var ok = ClientSecretHasher.Verify(secret, hash);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAA$")]
    [InlineData("md5$1000$AAAA$AAAA")]
    public void Verify_DamagedHash_False(string storedHash)
    {
        // Act
        var ok = ClientSecretHasher.Verify("s3cret", storedHash);

        // Assert
        Assert.False(ok);
    }
}
