using Google.Protobuf.Reflection;

namespace PartnerExchange.Contracts.Tests;

public class DocCommentTests
{
    // Field numbers of descriptor.proto, used in SourceCodeInfo location paths.
    private const int FileMessageType = 4;
    private const int FileEnumType = 5;
    private const int FileService = 6;
    private const int MessageField = 2;
    private const int MessageNestedType = 3;
    private const int MessageEnumType = 4;
    private const int MessageOneof = 8;
    private const int EnumValue = 2;
    private const int ServiceMethod = 2;

    private static readonly Lazy<IReadOnlyList<FileDescriptorProto>> ContractFiles = new(LoadContractFiles);

    [Fact]
    public void DescriptorSet_Files_MatchTheGeneratedContract()
    {
        // Arrange
        var generated = ContractDescriptors.Files.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

        // Act
        var withSourceInfo = ContractFiles.Value.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

        // Assert
        Assert.Equal(8, generated.Length);
        Assert.Equal(generated, withSourceInfo);
    }

    [Fact]
    public void Elements_All_HaveLeadingDocComments()
    {
        // Arrange
        var missing = new List<string>();
        var checkedCount = 0;

        // Act
        foreach (var file in ContractFiles.Value)
        {
            var comments = file.SourceCodeInfo.Location
                .Where(l => !string.IsNullOrWhiteSpace(l.LeadingComments))
                .Select(l => string.Join(',', l.Path))
                .ToHashSet(StringComparer.Ordinal);

            void Check(string element, params int[] path)
            {
                checkedCount++;
                if (!comments.Contains(string.Join(',', path)))
                {
                    missing.Add($"{file.Name}: {element}");
                }
            }

            void CheckEnum(EnumDescriptorProto e, string prefix, int[] path)
            {
                Check(prefix + e.Name, path);
                for (var v = 0; v < e.Value.Count; v++)
                {
                    Check($"{prefix}{e.Name}.{e.Value[v].Name}", [.. path, EnumValue, v]);
                }
            }

            void CheckMessage(DescriptorProto m, string prefix, int[] path)
            {
                var full = prefix + m.Name;
                Check(full, path);
                for (var f = 0; f < m.Field.Count; f++)
                {
                    Check($"{full}.{m.Field[f].Name}", [.. path, MessageField, f]);
                }

                for (var o = 0; o < m.OneofDecl.Count; o++)
                {
                    Check($"{full}.{m.OneofDecl[o].Name} (oneof)", [.. path, MessageOneof, o]);
                }

                for (var n = 0; n < m.NestedType.Count; n++)
                {
                    CheckMessage(m.NestedType[n], full + ".", [.. path, MessageNestedType, n]);
                }

                for (var e = 0; e < m.EnumType.Count; e++)
                {
                    CheckEnum(m.EnumType[e], full + ".", [.. path, MessageEnumType, e]);
                }
            }

            for (var i = 0; i < file.MessageType.Count; i++)
            {
                CheckMessage(file.MessageType[i], string.Empty, [FileMessageType, i]);
            }

            for (var i = 0; i < file.EnumType.Count; i++)
            {
                CheckEnum(file.EnumType[i], string.Empty, [FileEnumType, i]);
            }

            for (var s = 0; s < file.Service.Count; s++)
            {
                var service = file.Service[s];
                Check(service.Name, FileService, s);
                for (var m = 0; m < service.Method.Count; m++)
                {
                    Check($"{service.Name}.{service.Method[m].Name}", FileService, s, ServiceMethod, m);
                }
            }
        }

        // Assert
        Assert.True(checkedCount > 500, $"only {checkedCount} elements checked");
        Assert.Empty(missing);
    }

    private static IReadOnlyList<FileDescriptorProto> LoadContractFiles()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "partnerexchange.protoset");
        var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(path));
        return set.File.Where(f => f.Package == ContractDescriptors.Package).ToList();
    }
}
