using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Gateway.Auth;

/// <summary>
/// Verified tokens by their text, bounded, with SIEVE eviction as in PostgREST's JWT cache: a hit only sets a flag
/// (no lock, no allocation, looked up by span so the header need not be copied); an insert takes a lock and, when
/// full, evicts the oldest entry not hit since the eviction hand last passed it.
/// </summary>
internal sealed class VerifiedTokenCache
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Node> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;
    private readonly Lock _lock = new();

    // A list from newest (head) to oldest (tail); the hand walks from tail towards head.
    private Node? _head;
    private Node? _tail;
    private Node? _hand;

    public VerifiedTokenCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Count;

    public bool TryGet(ReadOnlySpan<char> token, [NotNullWhen(true)] out VerifiedToken? verified)
    {
        if (_entriesBySpan.TryGetValue(token, out var node))
        {
            node.Visited = true;
            verified = node.Value;
            return true;
        }

        verified = null;
        return false;
    }

    /// <summary>The cached text equal to <paramref name="token"/>, so that a caller needing it as a string does not copy the header.</summary>
    public bool TryGetText(ReadOnlySpan<char> token, [NotNullWhen(true)] out string? text)
    {
        text = _entriesBySpan.TryGetValue(token, out var node) ? node.Token : null;
        return text is not null;
    }

    public void Add(string token, VerifiedToken verified)
    {
        lock (_lock)
        {
            if (_entries.ContainsKey(token))
            {
                return;
            }

            if (_entries.Count >= _capacity)
            {
                Evict();
            }

            var node = new Node(token, verified) { Next = _head };
            if (_head is not null)
            {
                _head.Previous = node;
            }

            _head = node;
            _tail ??= node;
            _entries[token] = node;
        }
    }

    public void Remove(ReadOnlySpan<char> token)
    {
        lock (_lock)
        {
            if (_entriesBySpan.TryRemove(token, out _, out var node))
            {
                Unlink(node);
            }
        }
    }

    private void Evict()
    {
        var victim = _hand ?? _tail!;
        while (victim.Visited)
        {
            victim.Visited = false;
            victim = victim.Previous ?? _tail!;
        }

        _hand = victim.Previous;
        _entries.TryRemove(victim.Token, out _);
        Unlink(victim);
    }

    private void Unlink(Node node)
    {
        if (_hand == node)
        {
            _hand = node.Previous;
        }

        if (node.Previous is null)
        {
            _head = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }

        if (node.Next is null)
        {
            _tail = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }
    }

    private sealed class Node(string token, VerifiedToken value)
    {
        public string Token { get; } = token;

        public VerifiedToken Value { get; } = value;

        // Written by readers without the lock: a lost write only makes eviction slightly less precise.
        public bool Visited { get; set; }

        public Node? Previous { get; set; }

        public Node? Next { get; set; }
    }
}
