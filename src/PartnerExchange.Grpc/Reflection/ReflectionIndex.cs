using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace PartnerExchange.Grpc.Reflection;

/// <summary>
/// What reflection knows: the mapped services, every file they are declared in with its transitive dependencies,
/// and the fully qualified symbols (services, methods, messages, nested types, fields, enums, enum values) in those files.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly List<string> _serviceNames = [];
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messageTypes = new(StringComparer.Ordinal);

    public ReflectionIndex(IEnumerable<ServiceDescriptor> services)
    {
        foreach (var service in services)
        {
            _serviceNames.Add(service.FullName);
            AddFile(service.File);
        }
    }

    /// <summary>Answers one request of the reflection stream.</summary>
    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var name in _serviceNames)
                {
                    list.Service.Add(new ServiceResponse { Name = name });
                }

                response.ListServicesResponse = list;
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                if (_files.TryGetValue(request.FileByFilename, out var file))
                {
                    response.FileDescriptorResponse = WithDependencies(file);
                }
                else
                {
                    response.ErrorResponse = NotFound($"File not found: {request.FileByFilename}");
                }

                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                if (_symbols.TryGetValue(request.FileContainingSymbol, out var declaring))
                {
                    response.FileDescriptorResponse = WithDependencies(declaring);
                }
                else
                {
                    response.ErrorResponse = NotFound($"Symbol not found: {request.FileContainingSymbol}");
                }

                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                response.ErrorResponse = NotFound(
                    $"Extension not found: {request.FileContainingExtension.ContainingType} #{request.FileContainingExtension.ExtensionNumber}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (_messageTypes.Contains(request.AllExtensionNumbersOfType))
                {
                    // The served files declare no extensions.
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                else
                {
                    response.ErrorResponse = NotFound($"Type not found: {request.AllExtensionNumbersOfType}");
                }

                break;

            default:
                response.ErrorResponse = new ErrorResponse
                {
                    ErrorCode = (int)StatusCode.InvalidArgument,
                    ErrorMessage = "The request names no reflection query.",
                };
                break;
        }

        return response;
    }

    private static ErrorResponse NotFound(string message) =>
        new() { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = message };

    private static FileDescriptorResponse WithDependencies(FileDescriptor file)
    {
        var response = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            response.FileDescriptorProto.Add(next.SerializedData);
            for (var i = next.Dependencies.Count - 1; i >= 0; i--)
            {
                pending.Push(next.Dependencies[i]);
            }
        }

        return response;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var service in file.Services)
        {
            _symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                _symbols.TryAdd(method.FullName, file);
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            AddEnum(file, enumType);
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _symbols.TryAdd(message.FullName, file);
        _messageTypes.Add(message.FullName);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            _symbols.TryAdd(field.FullName, file);
        }

        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var nestedEnum in message.EnumTypes)
        {
            AddEnum(file, nestedEnum);
        }
    }

    private void AddEnum(FileDescriptor file, EnumDescriptor enumType)
    {
        _symbols.TryAdd(enumType.FullName, file);
        foreach (var value in enumType.Values)
        {
            _symbols.TryAdd(value.FullName, file);
        }
    }
}
