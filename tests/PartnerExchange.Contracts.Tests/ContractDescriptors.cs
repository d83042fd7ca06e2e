using System.Reflection;
using Google.Protobuf.Reflection;
using PartnerExchange.Contracts.V1;

namespace PartnerExchange.Contracts.Tests;

/// <summary>The generated descriptors of the partnerexchange.v1 package, found by reflection.</summary>
internal static class ContractDescriptors
{
    public const string Package = "partnerexchange.v1";

    /// <summary>Every generated file of the package, discovered from the contracts assembly.</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } = typeof(Money).Assembly
        .GetTypes()
        .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<FileDescriptor>()
        .Where(f => f.Package == Package)
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        Files.SelectMany(f => f.Services).ToList();

    public static IReadOnlyList<MethodDescriptor> Methods { get; } =
        Services.SelectMany(s => s.Methods).ToList();

    /// <summary>Every message of the package, nested ones included.</summary>
    public static IReadOnlyList<MessageDescriptor> Messages { get; } =
        Files.SelectMany(f => f.MessageTypes).SelectMany(Flatten).ToList();

    /// <summary>Every enum of the package, nested ones included.</summary>
    public static IReadOnlyList<EnumDescriptor> Enums { get; } =
        Files.SelectMany(f => f.EnumTypes).Concat(Messages.SelectMany(m => m.EnumTypes)).ToList();

    public static IReadOnlyList<FieldDescriptor> Fields { get; } =
        Messages.SelectMany(m => m.Fields.InFieldNumberOrder()).ToList();

    private static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor message) =>
        new[] { message }.Concat(message.NestedTypes.SelectMany(Flatten));
}
