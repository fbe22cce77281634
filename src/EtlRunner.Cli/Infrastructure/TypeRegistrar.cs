using System.Diagnostics.CodeAnalysis;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// A minimal dependency container for Spectre.Console.Cli: instances registered up front, everything else
/// built through its public constructor from them. Enough for thin commands; no container package needed.
/// </summary>
internal sealed class TypeRegistrar : ITypeRegistrar, ITypeResolver
{
    private readonly Dictionary<Type, Func<object>> _factories = [];

    public ITypeResolver Build() => this;

    public void Register(Type service, Type implementation) => _factories[service] = () => Create(implementation);

    public void RegisterInstance(Type service, object implementation) => _factories[service] = () => implementation;

    public void RegisterLazy(Type service, Func<object> factory)
    {
        var lazy = new Lazy<object>(factory);
        _factories[service] = () => lazy.Value;
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only empty arrays of the services Spectre asks for, reference types whose array type the compiled tool has; the AOT smoke run in .ci/run resolves them.")]
    public object? Resolve(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        if (_factories.TryGetValue(type, out var factory))
        {
            return factory();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            return Array.CreateInstance(type.GetGenericArguments()[0], 0);
        }

        return type.IsAbstract || type.IsInterface ? null : Create(type);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "What is built here are commands and their settings, in the etl assembly, which the ahead-of-time compiled tool keeps whole (TrimmerRootAssembly).")]
    private object Create(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Resolve(p.ParameterType)).ToArray();
        return constructor.Invoke(arguments);
    }
}
