using System.Collections;
using System.Text;

namespace PartnerExchange.Grpc;

/// <summary>
/// Ordered gRPC metadata (headers or trailers). Keys are lower-case ASCII; a key ending in <c>-bin</c>
/// carries bytes (base64 on the wire), any other key carries printable ASCII text.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary-valued key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>Gets an empty, read-only-by-convention instance.</summary>
    public static Metadata Empty => new();

    /// <summary>Adds a text entry.</summary>
    public void Add(string key, string value) => _entries.Add(new Entry(key, value));

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public void Add(string key, byte[] valueBytes) => _entries.Add(new Entry(key, valueBytes));

    /// <summary>Gets the last entry with the key, or <c>null</c>.</summary>
    public Entry? Get(string key)
    {
        var normalized = Entry.NormalizeKey(key);
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key == normalized)
            {
                return _entries[i];
            }
        }

        return null;
    }

    /// <summary>Gets the text value of the last entry with the key, or <c>null</c>.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>Gets the bytes of the last binary entry with the key, or <c>null</c>.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>Gets every entry with the key, in order.</summary>
    public IEnumerable<Entry> GetAll(string key)
    {
        var normalized = Entry.NormalizeKey(key);
        return _entries.Where(e => e.Key == normalized);
    }

    /// <inheritdoc />
    public Entry this[int index] { get => _entries[index]; set => _entries[index] = value; }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public void Add(Entry item) => _entries.Add(item);

    /// <inheritdoc />
    public void Clear() => _entries.Clear();

    /// <inheritdoc />
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc />
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc />
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, Entry item) => _entries.Insert(index, item);

    /// <inheritdoc />
    public bool Remove(Entry item) => _entries.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => _entries.RemoveAt(index);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry: a key and either a text value or bytes.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a text entry. Throws when the key is not a valid gRPC key or ends in <c>-bin</c>.</summary>
        public Entry(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' ends in '-bin' and needs a byte[] value.", nameof(key));
            }

            foreach (var c in value)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException($"The value of '{Key}' must be printable ASCII; use a '-bin' key for other bytes.", nameof(value));
                }
            }

            _value = value;
        }

        /// <summary>Creates a binary entry. Throws when the key does not end in <c>-bin</c>.</summary>
        public Entry(string key, byte[] valueBytes)
        {
            ArgumentNullException.ThrowIfNull(valueBytes);
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' carries bytes and must end in '-bin'.", nameof(key));
            }

            _valueBytes = valueBytes;
        }

        /// <summary>Gets the lower-case key.</summary>
        public string Key { get; }

        /// <summary>Gets whether the value is bytes (the key ends in <c>-bin</c>).</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <summary>Gets the text value; for a binary entry, its bytes read as UTF-8 are not returned and this throws.</summary>
        public string Value => _value ?? throw new InvalidOperationException($"'{Key}' is a binary entry; read ValueBytes.");

        /// <summary>Gets the bytes; for a text entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        /// <inheritdoc />
        public override string ToString() => IsBinary ? $"{Key}: {Convert.ToBase64String(_valueBytes!)}" : $"{Key}: {_value}";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.Ordinal);

        internal static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                var ok = c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.';
                if (!ok)
                {
                    throw new ArgumentException($"'{key}' is not a valid metadata key: only 0-9 a-z - _ . are allowed.", nameof(key));
                }
            }

            return lower;
        }
    }
}
