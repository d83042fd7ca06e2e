using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerExchange.Data.Seeding;

/// <summary>Reads seed files strictly; every failure names the file in a one-line message.</summary>
internal static class SeedReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    public static T Read<T>(string path)
        where T : class
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new FileNotFoundException($"Seed file '{path}' is missing.", path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Seed file '{path}' cannot be read: {OneLine(ex.Message)}", ex);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(text, Options)
                ?? throw new InvalidDataException($"Seed file '{path}' is malformed: it holds null instead of an object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Seed file '{path}' is malformed: {OneLine(ex.Message)}", ex);
        }
    }

    public static InvalidDataException Invalid(string path, string problem) =>
        new($"Seed file '{path}' is invalid: {problem}");

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
