using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace PartnerExchange.Data;

/// <summary>
/// An EF Core compiled query (<c>EF.CompileAsyncQuery</c>), compiled once per model: a compiled query is bound to the model it first ran with, and one
/// process may hold contexts of both providers (the test suites do).
/// </summary>
/// <typeparam name="TQuery">The compiled query's delegate.</typeparam>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = new();

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _compiled.GetValue(db.Model, _ => compile());
    }
}
