"""People and their posts, found from the shape of the text.

A person is a name next to a post title: "President of the Republic of Kazakhstan Nursultan
Nazarbayev", "SCO Secretary-General Rashid Alimov", "Russian President Vladimir Putin",
"Kazakhstan's President ...", "Sergei Lebedev, Executive Secretary of the CIS", "President Xi
Jinping of China", and two posts joined by "and" before one name. Titles are listed in
data/titles.txt, portfolio words in data/portfolios.txt; the names themselves are never
listed: a name is two to five capitalised words, or initials and a surname ("N. Nazarbayev").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scokg.extract import lexicon
from scokg.extract.chunks import FUNCTION_CAPS
from scokg.extract.gazetteer import Gazetteer, Match
from scokg.extract.spans import Span
from scokg.extract.tokens import Token

PARTICLES = frozenset(
    {"bin", "ibn", "al", "el", "van", "von", "de", "der", "da", "di", "ul", "bint"}
)
# Patronymic words that may end a name ("Kubanychbek Asylbek uulu", "Ilham Heydar oglu").
PATRONYMICS = frozenset({"uulu", "kyzy", "ogly", "oglu", "qizi", "kizi", "ugli", "uly", "uli"})
ARTICLE_NAME = re.compile(r"^(?:al|el|ad|ud|ul|ash|as|at|az|an|ar|bin|ibn|abu|ben)-[A-Z]\w")
HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "H.E.", "Excellency"})
MONTHS = frozenset(
    "January February March April May June July August September October November December".split()
)


@dataclass
class Post:
    title: str
    holder: Span | None


@dataclass
class PersonHit:
    span: Span
    posts: list[Post] = field(default_factory=list)
    claimed: list[tuple[int, int]] = field(default_factory=list)


HolderFinder = Callable[[int, int], Span | None]


def _inherit_holders(posts: list[Post]) -> None:
    """ "Deputy Prime Minister and Minister of Foreign Affairs of Nepal": the holder named
    last holds for the titles before it too."""
    for i, post in enumerate(posts[:-1]):
        if post.holder is None:
            post.holder = next((p.holder for p in posts[i + 1 :] if p.holder is not None), None)


class PeopleFinder:
    """Finds people in one sentence.

    ``entity_at(i, hi)`` returns the State or Organisation whose name starts at token ``i``
    (from the gazetteer, the document's abbreviations or a capitalised name), or None.
    """

    def __init__(
        self,
        tokens: Sequence[Token],
        text: str,
        gazetteer: Gazetteer,
        matches: Sequence[Match],
        entity_at: HolderFinder,
    ) -> None:
        self.tokens = tokens
        self.text = text
        self.gaz = gazetteer
        self.entity_at = entity_at
        self.person_at: dict[int, Match] = {}
        self.nonperson_at: dict[int, Match] = {}
        self.entity_ending: dict[int, Match] = {}
        for m in matches:
            if m.entry.type == "Person":
                self.person_at.setdefault(m.start, m)
            else:
                self.nonperson_at.setdefault(m.start, m)
                old = self.entity_ending.get(m.end)
                if old is None or m.start < old.start:
                    self.entity_ending[m.end] = m

    # -- helpers ---------------------------------------------------------------------------
    def surface(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end]

    def _title_at(self, k: int, hi: int) -> int | None:
        """End of the title starting at token k ("First Vice President": prefixes included;
        "Director a.i." and "Director ad interim": the interim mark too)."""
        end = self._title_core(k, hi)
        if end is None:
            return None
        words = [t.text for t in self.tokens[end : end + 4]]
        if words[:4] == ["a", ".", "i", "."]:
            return end + 4
        if words[:2] == ["ad", "interim"]:
            return end + 2
        return end

    def _title_core(self, k: int, hi: int) -> int | None:
        toks = self.tokens
        prefixes = lexicon.title_prefixes()
        starts = [k]
        m = k
        while m < hi and toks[m].text in prefixes and m - k < 3:
            m += 1
            starts.append(m)
        by_first = lexicon.titles_by_first()
        for start in starts:
            for title in by_first.get(toks[start].key, ()):
                n = len(title)
                if start + n <= hi and tuple(t.key for t in toks[start : start + n]) == title:
                    return start + n
        return None

    def _portfolio_end(self, k: int, hi: int) -> int:
        """After "Minister": "of Foreign Affairs", "for Emergency Situations"."""
        toks = self.tokens
        if k + 1 >= hi or toks[k].text not in {"of", "for"}:
            return k
        words = lexicon.portfolios()
        m = k + 1
        last = k
        while m < hi:
            t = toks[m].text
            if t in words:
                m += 1
                last = m
            elif t == "and" and m + 1 < hi and toks[m + 1].text in words:
                m += 1
            elif t == "," and m + 1 < hi and toks[m + 1].text in words:
                m += 1
            else:
                break
        return last if last > k else k

    def _is_name_word(self, tok: Token) -> bool:
        t = tok.text
        if ARTICLE_NAME.match(t):
            return True  # "al-Mutairi", "el-Sayed", "ad-Din"
        if not tok.is_cap or tok.is_acronym and len(t) > 3:
            return False
        if t in FUNCTION_CAPS or t in MONTHS or t in lexicon.title_words() or t in HONORIFICS:
            return False
        if t in lexicon.heads() or t in self.gaz.demonyms:
            return False
        return t[:1].isalpha()

    def skip_ranks(self, k: int, hi: int) -> int:
        """Past ranks and honorifics before a name ("Lieutenant General", "Mr", "H.E.")."""
        toks = self.tokens
        moved = True
        while moved and k < hi:
            moved = False
            for rank in lexicon.ranks():
                n = len(rank)
                if k + n < hi and tuple(t.text for t in toks[k : k + n]) == rank:
                    k += n
                    if k < hi and toks[k].text == ".":
                        k += 1
                    moved = True
                    break
        return k

    def name_end(self, k: int, hi: int) -> int | None:
        """End of a person's name starting at token k, or None."""
        toks = self.tokens
        known = self.person_at.get(k)
        if known is not None and known.end <= hi:
            return known.end
        if k < hi and k in self.nonperson_at:
            return None
        m = k
        initials = 0
        # initials: "N.", "Sh.", "K.-J."
        while m + 1 < hi and toks[m].is_cap and len(toks[m].text) <= 3 and toks[m + 1].text == ".":
            if toks[m].text in FUNCTION_CAPS:
                break
            initials += 1
            m += 2
        words = 0
        while m < hi:
            t = toks[m]
            if self._is_name_word(t) and not (
                m in self.nonperson_at and words == 0 and initials == 0
            ):
                if m in self.nonperson_at and self.nonperson_at[m].entry.type in {
                    "State",
                    "Organisation",
                }:
                    break
                words += 1
                m += 1
                continue
            if t.text in PARTICLES and words and m + 1 < hi and self._is_name_word(toks[m + 1]):
                m += 1
                continue
            if t.text in PATRONYMICS and words >= 2:
                m += 1  # "Kubanychbek Asylbek uulu": a patronymic ends the name ...
                if m < hi and self._is_name_word(toks[m]):
                    continue  # ... or stands inside it: "Rauf Elchin oglu Hasanzade"
            break
        if initials and words >= 1:
            return m
        if 2 <= words <= 5:
            return m
        return None

    def _holder_after_of(self, k: int, hi: int) -> tuple[Span, int] | None:
        """A holder named after "of" at token k: "of the Republic of Kazakhstan"."""
        toks = self.tokens
        if k >= hi or toks[k].text not in {"of", "for"}:
            return None
        m = k + 1
        while m < hi and toks[m].text in {"the", "a"}:
            m += 1
        span = self.entity_at(m, hi)
        if span is None:
            return None
        return span, span.end

    def _holder_before(self, a: int, lo: int) -> Span | None:
        toks = self.tokens
        if a - 1 < lo:
            return None
        if toks[a - 1].text in {"'s", "’s"}:
            m = self.entity_ending.get(a - 1)
            if m is not None and m.entry.type in {"State", "Organisation"}:
                return self.entity_at(m.start, a - 1)
            return None
        m = self.entity_ending.get(a)
        if m is not None and m.entry.type in {"State", "Organisation"} and m.start >= lo:
            return self.entity_at(m.start, a)
        # a demonym, possibly two words: "Russian President", "South African President"
        for width in (2, 1):
            if a - width < lo:
                continue
            words = " ".join(t.text for t in toks[a - width : a])
            entry = self.gaz.demonyms.get(words)
            if entry is not None:
                return Span(
                    start=a - width,
                    end=a,
                    type="State",
                    ref=entry.key,
                    names=[],
                    source="demonym",
                    entry=entry,
                )
        return None

    # -- the finder ------------------------------------------------------------------------
    def find(self, lo: int, hi: int) -> list[PersonHit]:
        toks = self.tokens
        hits: list[PersonHit] = []
        taken: set[int] = set()
        k = lo
        while k < hi:
            if k in taken or not toks[k].is_cap:
                k += 1
                continue
            hit = self._title_first(k, lo, hi)
            if hit is None:
                k += 1
                continue
            hits.append(hit)
            for a, b in hit.claimed:
                taken.update(range(a, b))
            k = max(b for _, b in hit.claimed)
        # appositive: "Nursultan Nazarbayev, President of Kazakhstan" and known names alone
        for k in range(lo, hi):
            if k in taken or not toks[k].is_cap:
                continue
            if k > lo and toks[k - 1].is_cap and (k - 1) not in taken:
                continue
            end = self.name_end(k, hi)
            if end is None or any(m in taken for m in range(k, end)):
                continue
            posts = self._posts_after_comma(end, hi, taken)
            if not posts and k not in self.person_at:
                continue
            span = self._person_span(k, end)
            hit = PersonHit(span=span, posts=posts, claimed=[(k, end)])
            hits.append(hit)
            taken.update(range(k, end))
        return hits

    def _person_span(self, i: int, j: int) -> Span:
        known = self.person_at.get(i)
        entry = known.entry if known is not None and known.end == j else None
        return Span(
            start=i,
            end=j,
            type="Person",
            ref=entry.key if entry else "",
            names=[self.surface(i, j)],
            source="person",
            entry=entry,
        )

    def _posts_after_comma(self, end: int, hi: int, taken: set[int]) -> list[Post]:
        toks = self.tokens
        if end >= hi or toks[end].text not in {",", "("}:
            return []
        m = end + 1
        while m < hi and toks[m].text in {"the", "The"}:
            m += 1
        posts: list[Post] = []
        t_end = self._title_at(m, hi)
        if t_end is None:
            return []
        while t_end is not None:
            t_end = (
                self._portfolio_end(t_end, hi)
                if toks[t_end - 1].text.endswith("Minister")
                else t_end
            )
            holder = self._holder_before(m, end + 1)
            after = self._holder_after_of(t_end, hi)
            title = self.surface(m, t_end)
            nxt = t_end
            if after is not None:
                holder, nxt = after
            posts.append(Post(title, holder))
            taken.update(range(m, t_end))
            if nxt + 1 < hi and toks[nxt].text in {"and", "–", "—", "-"}:
                m = nxt + 1
                t_end = self._title_at(m, hi)
            else:
                t_end = None
        _inherit_holders(posts)
        return posts

    def _title_first(self, k: int, lo: int, hi: int) -> PersonHit | None:
        """TITLE [of HOLDER] [and TITLE [of HOLDER]] [,] NAME [of HOLDER]."""
        toks = self.tokens
        t_end = self._title_at(k, hi)
        if t_end is None:
            return None
        if t_end < hi and toks[t_end].text in {"'s", "’s"}:
            return None
        posts: list[Post] = []
        claimed: list[tuple[int, int]] = []
        start = k
        prefix = self._holder_before(k, lo)
        m = k
        while True:
            title_end = t_end
            if any(t.text.endswith("Minister") for t in toks[m:title_end]) or toks[
                title_end - 1
            ].text in {"Secretary", "Commissioner"}:
                title_end = self._portfolio_end(title_end, hi)
            title = self.surface(m, title_end)
            holder = prefix if not posts else None
            nxt = title_end
            after = self._holder_after_of(title_end, hi)
            if after is not None:
                holder, nxt = after
            posts.append(Post(title, holder))
            claimed.append((m, title_end))
            probe = nxt
            if probe + 2 < hi and toks[probe].text == "(" and toks[probe + 2].text == ")":
                probe += 3
            if probe < hi and toks[probe].text == ",":
                probe += 1
            probe = self.skip_ranks(probe, hi)
            if probe < hi and self.name_end(probe, hi) is not None:
                break
            if nxt + 1 < hi and toks[nxt].text == "and":
                again = self._title_at(nxt + 1, hi)
                if again is not None:
                    m = nxt + 1
                    t_end = again
                    continue
            break
        name_start = nxt
        if posts[-1].holder is None and name_start + 1 < hi and toks[name_start].text == "to":
            # "its Ambassador to the Republic of Uzbekistan, Hamidreza ...": where a post is
            # accredited is not whose post it is
            target = self.entity_at(name_start + 1 + (toks[name_start + 1].text == "the"), hi)
            if target is not None:
                name_start = target.end
        if posts[0].holder is None and k > lo and toks[k - 1].text.lower() in {"its", "his", "her"}:
            starts = sorted(self.nonperson_at.values(), key=lambda m: m.start)
            owner = next((m for m in starts if lo <= m.start < k and m.entry.type == "State"), None)
            if owner is not None:
                posts[0].holder = self.entity_at(owner.start, k)
        if (
            name_start + 2 < hi
            and toks[name_start].text == "("
            and toks[name_start + 2].text == ")"
        ):
            name_start += 3  # "Collective Security Treaty Organisation (CSTO), Kanat ..."
        if name_start < hi and toks[name_start].text == ",":
            name_start += 1
        name_start = self.skip_ranks(name_start, hi)
        end = self.name_end(name_start, hi)
        if end is None:
            return None
        # "President Xi Jinping of China"
        if posts[-1].holder is None and posts[-1] is posts[0]:
            after = self._holder_after_of(end, hi)
            if after is not None:
                posts[-1].holder = after[0]
        _inherit_holders(posts)
        self._rebuild_generic_holders(posts)
        span = self._person_span(name_start, end)
        claimed.append((name_start, end))
        del start
        return PersonHit(span=span, posts=posts, claimed=claimed)

    def _rebuild_generic_holders(self, posts: list[Post]) -> None:
        """ "Director of the Executive Bureau and Executive Secretary of the XYZ": the
        Executive Bureau is the XYZ's; its name is rebuilt as "Executive Bureau of the" and
        the XYZ's full name."""
        for i, post in enumerate(posts[:-1]):
            holder = post.holder
            later = next((p.holder for p in posts[i + 1 :] if p.holder is not None), None)
            if holder is None or later is None or holder.entry is not None:
                continue
            if holder.source != "chunk" or holder.length > 3:
                continue
            written = holder.names[0]
            parent_name = (
                later.names[0] if later.names else (later.entry.label if later.entry else "")
            )
            rebuilt = f"{written} of the {parent_name}"
            entry = self.gaz.lookup(rebuilt)
            holder.names = [rebuilt, written]
            holder.source = "rebuilt"
            if entry is not None and entry.type == holder.type:
                holder.entry = entry
                holder.ref = entry.key
            holder.attrs["parent"] = later.ref or (later.entry.key if later.entry else "")
