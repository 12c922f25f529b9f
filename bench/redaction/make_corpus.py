#!/usr/bin/env python3
"""Deterministic labelled PII corpus for convaudit_bench_redaction.

Writes corpus.jsonl: {"id", "split", "text", "spans": [{"type", "begin", "end"}]} with UTF-8
byte offsets. split "dev" (seed 1, template set A) and "heldout" (seed 2, template set B, 30%):
held-out samples use phrasings, locales and separators the dev set never shows.
Usage: make_corpus.py [--out corpus.jsonl] [--n 3000]
"""
import argparse
import hashlib
import json
import random
import string

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def luhn_complete(prefix, length, r):
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for d in string.digits:
        s, dbl = 0, False
        for c in reversed(body + d):
            v = int(c)
            if dbl:
                v = v * 2 - 9 if v * 2 > 9 else v * 2
            s += v
            dbl = not dbl
        if s % 10 == 0:
            return body + d
    raise AssertionError


def card(r, bad=False):
    prefix, length = r.choice([("4", 16), ("4", 19), ("4", 13), ("51", 16), ("55", 16),
                               ("2221", 16), ("2720", 16), ("2500", 16), ("34", 15), ("37", 15),
                               ("6011", 16), ("65", 16), ("644", 16), ("3528", 16), ("3589", 19),
                               ("36", 14), ("62", 16)])
    digits = luhn_complete(prefix, length, r)
    if bad:
        digits = digits[:-1] + str((int(digits[-1]) + r.randint(1, 9)) % 10)
    sep = r.choice(["", " ", "-", " ", "."])
    if length == 15:
        groups = [digits[:4], digits[4:10], digits[10:]]
    elif length == 14:
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        groups = [digits[i:i + 4] for i in range(0, length, 4)]
    return sep.join(groups) if sep else digits


def ssn(r, bad=False):
    while True:
        a, g, s = r.randint(1, 899), r.randint(1, 99), r.randint(1, 9999)
        if a != 666:
            break
    if bad:
        a, g, s = r.choice([(0, g, s), (666, g, s), (r.randint(900, 999), g, s), (a, 0, s), (a, g, 0)])
    return f"{a:03d}-{g:02d}-{s:04d}"


IBAN_FMT = {"DE": "8n10n", "GB": "4a14n", "FR": "10n11c2n", "ES": "20n", "IT": "1a10n12c",
            "NL": "4a10n", "BE": "12n", "CH": "5n12c", "AT": "16n", "PL": "24n", "PT": "21n",
            "IE": "4a14n", "SE": "20n", "NO": "11n", "DK": "14n", "FI": "14n", "LU": "3n13c",
            "MT": "4a5n18c", "SA": "2n18c", "BR": "23n1a1c", "RU": "29n", "LC": "4a24c"}


def iban(r, bad=False):
    cc = r.choice(sorted(IBAN_FMT))
    bban = ""
    for part in __import__("re").findall(r"(\d+)([anc])", IBAN_FMT[cc]):
        n, kind = int(part[0]), part[1]
        pool = {"n": string.digits, "a": string.ascii_uppercase,
                "c": string.ascii_uppercase + string.digits}[kind]
        bban += "".join(r.choice(pool) for _ in range(n))
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(num) % 97
    if bad:
        check = (check % 97) + 1
    compact = f"{cc}{check:02d}{bban}"
    if r.random() < 0.5:
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return compact


def phone(r, locale):
    d = lambda n: "".join(r.choice(string.digits) for _ in range(n))
    nz = lambda: str(r.randint(2, 9))
    forms = {
        "US": [lambda: f"({nz()}{d(2)}) {nz()}{d(2)}-{d(4)}", lambda: f"{nz()}{d(2)}-{nz()}{d(2)}-{d(4)}",
               lambda: f"+1 {nz()}{d(2)} {nz()}{d(2)} {d(4)}", lambda: f"{nz()}{d(2)}.{nz()}{d(2)}.{d(4)}",
               lambda: f"1-{nz()}{d(2)}-{nz()}{d(2)}-{d(4)}"],
        "UK": [lambda: f"+44 20 {d(4)} {d(4)}", lambda: f"07{d(3)} {d(6)}", lambda: f"020 {d(4)} {d(4)}",
               lambda: f"+44 7{d(3)} {d(6)}", lambda: f"0161 {d(3)} {d(4)}"],
        "DE": [lambda: f"+49 30 {d(8)}", lambda: f"030 {d(8)}", lambda: f"0151 {d(8)}",
               lambda: f"+49 (0)89 {d(7)}", lambda: f"089/{d(7)}", lambda: f"0171-{d(7)}"],
        "FR": [lambda: f"0{r.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}", lambda: f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
               lambda: f"06.{d(2)}.{d(2)}.{d(2)}.{d(2)}", lambda: f"+33 (0)1 {d(2)} {d(2)} {d(2)} {d(2)}"],
        "ES": [lambda: f"6{d(2)} {d(3)} {d(3)}", lambda: f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}",
               lambda: f"91 {d(3)} {d(2)} {d(2)}", lambda: f"+34 91 {d(3)} {d(4)}"],
        "IT": [lambda: f"3{d(2)} {d(7)}", lambda: f"+39 3{d(2)} {d(3)} {d(4)}", lambda: f"06 {d(4)} {d(4)}",
               lambda: f"+39 02 {d(8)}"],
        "NL": [lambda: f"06-{d(8)}", lambda: f"+31 6 {d(8)}", lambda: f"020 {d(3)} {d(4)}",
               lambda: f"+31 20 {d(3)} {d(4)}"],
        "IN": [lambda: f"+91 9{d(4)} {d(5)}", lambda: f"9{d(4)} {d(5)}", lambda: f"+91-{r.randint(6, 9)}{d(9)}",
               lambda: f"0{r.randint(6, 9)}{d(3)} {d(5)}"],
    }
    return r.choice(forms[locale])()


def email(r):
    first = r.choice(["maria", "j", "lena", "raj", "chloe", "pablo", "giulia", "sven", "aisha", "tom"])
    last = r.choice(["gonzalez", "okafor", "fischer", "patel", "martin", "rossi", "devries", "smith"])
    sep = r.choice([".", "_", "", "-", "+"])
    dom = r.choice(["example.com", "mail.example.org", "example.co.uk", "firma.de", "exemple.fr",
                    "correo.es", "posta.it", "bedrijf.nl", "company.in", "uni.example.edu"])
    user = f"{first}{sep}{last}{r.randint(1, 99) if r.random() < 0.3 else ''}"
    if r.random() < 0.2:
        user = user.capitalize()
    return f"{user}@{dom}"


def ipv4(r):
    return ".".join(str(r.choice([r.randint(1, 223), 10, 192, 172])) if i == 0 else str(r.randint(0, 255))
                    for i in range(4))


def ipv6(r):
    g = [f"{r.randint(0, 0xffff):x}" for _ in range(8)]
    kind = r.randint(0, 3)
    if kind == 0:
        return ":".join(g)
    if kind == 1:
        return f"2001:db8:{g[0]}::{g[1]}:{g[2]}"
    if kind == 2:
        return f"::ffff:{ipv4(r)}"
    return f"fe80::{g[3]}:{g[4]}:{g[5]}:{g[6]}".replace(":0:", ":1:")


def mac(r):
    b = [r.randint(0, 255) for _ in range(6)]
    b[0] |= 0x02 if r.random() < 0.5 else 0
    kind = r.randint(0, 2)
    if kind == 0:
        return ":".join(f"{x:02x}" for x in b)
    if kind == 1:
        return "-".join(f"{x:02X}" for x in b)
    h = "".join(f"{x:02x}" for x in b)
    if not any(c in "abcdef" for c in h):
        h = "a" + h[1:]
    return f"{h[:4]}.{h[4:8]}.{h[8:]}"


def rand(r, pool, n):
    return "".join(r.choice(pool) for _ in range(n))


ALNUM = string.ascii_letters + string.digits


def secret(r):
    kind = r.randint(0, 11)
    if kind == 0:
        return r.choice(["AKIA", "ASIA"]) + rand(r, string.ascii_uppercase + string.digits, 16)
    if kind == 1:
        return "ghp_" + rand(r, ALNUM, 36)
    if kind == 2:
        return "github_pat_" + rand(r, ALNUM, 22) + "_" + rand(r, ALNUM, 59)
    if kind == 3:
        return "xoxb-" + rand(r, string.digits, 12) + "-" + rand(r, string.digits, 13) + "-" + rand(r, ALNUM, 24)
    if kind == 4:
        return r.choice(["sk_live_", "rk_live_"]) + rand(r, ALNUM, 24)
    if kind == 5:
        return "AIza" + rand(r, ALNUM + "_-", 35)
    if kind == 6:
        return r.choice(["sk-", "sk-proj-"]) + rand(r, ALNUM, 48)
    if kind == 7:
        return "sk-ant-api03-" + rand(r, ALNUM + "_-", 80) + "AA"
    if kind == 8:
        return "eyJhbGciOiJIUzI1NiJ9.eyJ" + rand(r, ALNUM, 30) + "." + rand(r, ALNUM + "_-", 43)
    if kind == 9:
        return "gho_" + rand(r, ALNUM, 36)
    if kind == 10:
        return "glpat-" + rand(r, ALNUM, 20)
    return "xoxp-" + rand(r, string.digits, 11) + "-" + rand(r, ALNUM, 30)


def b58encode(raw):
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, m = divmod(n, 58)
        out = B58[m] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def btc_legacy(r, bad=False):
    payload = bytes([r.choice([0, 5])]) + bytes(r.randint(0, 255) for _ in range(20))
    chk = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    if bad:
        chk = bytes([chk[0] ^ 1]) + chk[1:]
    return b58encode(payload + chk)


def bech32_polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk


def bech32(r):
    hrp = "bc"
    data = [0] + [r.randint(0, 31) for _ in range(32)]
    values = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp] + data
    pm = bech32_polymod(values + [0] * 6) ^ 1
    checksum = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH[d] for d in data + checksum)


def eth(r):
    h = rand(r, "0123456789abcdef", 40)
    return "0x" + (h.upper() if r.random() < 0.2 else h)


KNOWN_EIP55 = ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
               "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]

FIRST = ["John", "María", "Lena", "Rajesh", "Chloé", "Pablo", "Giulia", "Sven", "Aisha", "Tom", "Jürgen", "Priya"]
LAST = ["Smith", "García", "Fischer", "Patel", "Martin", "Rossi", "de Vries", "Okafor", "Müller", "Dubois"]


def name(r):
    return f"{r.choice(FIRST)} {r.choice(LAST).split()[-1]}"


def address(r):
    kind = r.randint(0, 3)
    if kind == 0:
        return f"{r.randint(1, 9999)} {r.choice(['Oak', 'Maple', 'Baker', 'Elm', 'Sunset'])} {r.choice(['Street', 'Avenue', 'Road', 'Lane', 'Drive'])}"
    if kind == 1:
        return f"{r.choice(['Haupt', 'Berg', 'Linden', 'Garten'])}{r.choice(['straße', 'weg', 'allee'])} {r.randint(1, 200)}"
    if kind == 2:
        return f"{r.randint(1, 200)} rue de la {r.choice(['Paix', 'République', 'Gare'])}"
    return f"{r.choice(['Calle', 'Via'])} {r.choice(['Mayor', 'Roma', 'Garibaldi', 'Alcalá'])} {r.randint(1, 300)}"


def dob(r):
    y, m, d = r.randint(1940, 2005), r.randint(1, 12), r.randint(1, 28)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return r.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y}", f"{d} {months[m - 1]} {y}",
                     f"{months[m - 1]} {d}, {y}"])


def passport(r):
    return r.choice([rand(r, string.digits, 9), r.choice(string.ascii_uppercase) + rand(r, string.digits, 8),
                     "C" + rand(r, string.digits + "FGHJKLMNPRTVWXYZ", 8), rand(r, string.digits, 2) + "AB" + rand(r, string.digits, 5)])


def licence(r):
    return r.choice([r.choice(string.ascii_uppercase) + rand(r, string.digits, 7),
                     f"{rand(r, string.digits, 3)} {rand(r, string.digits, 3)} {rand(r, string.digits, 3)}",
                     r.choice(string.ascii_uppercase) + rand(r, string.digits, 4) + "-" + rand(r, string.digits, 5)])


# --- templates: {V} is the value. Set A (dev) and set B (held-out) never share a phrasing. ---
A = {
    "EMAIL": ["my email is {V}", "Contact: {V}.", "send the invoice to {V} please", "mail {V}, thanks"],
    "PHONE": {"US": ["call me at {V}", "my phone number is {V}", "phone: {V}"],
              "UK": ["ring me on {V}", "mobile: {V}"], "DE": ["Telefon: {V}", "meine Handynummer ist {V}"],
              "FR": ["mon numéro de téléphone est le {V}", "portable : {V}"],
              "ES": ["mi teléfono es {V}", "móvil: {V}"], "IT": ["il mio cellulare è {V}", "telefono {V}"],
              "NL": ["mijn telefoonnummer is {V}", "mobiel: {V}"], "IN": ["my mobile is {V}", "whatsapp {V}"]},
    "CARD": ["my card number is {V}", "Visa {V} exp 09/27", "charge {V} please", "card: {V}"],
    "SSN": ["my SSN is {V}", "SSN: {V}", "social security number {V}"],
    "IBAN": ["IBAN: {V}", "please wire it to {V}", "meine IBAN lautet {V}"],
    "IP": ["login from {V} failed", "server IP is {V}", "blocked {V} yesterday"],
    "MAC": ["the device MAC is {V}", "mac address {V}"],
    "SECRET": ["here is my key {V}", "export TOKEN={V}", "the api key is {V}", "use {V} for auth"],
    "URLCRED": ["connect with {V}/app", "DATABASE_URL={V}"],
    "WALLET": ["send BTC to {V}", "my wallet: {V}", "eth address {V}"],
    "DOB": ["I was born on {V}", "DOB: {V}", "date of birth {V}"],
    "PASSPORT": ["passport number: {V}", "my passport no. is {V}"],
    "LICENSE": ["driver's license {V}", "driving licence number: {V}"],
    "NAME": ["my name is {V}", "Hi, my name is {V}."],
    "ADDRESS": ["I live at {V}", "ship it to {V}, thanks"],
}
B = {
    "EMAIL": ["reach out: {V}", "¿puedes escribir a {V}?", "écris-moi à {V}", "CC {V} on the thread"],
    "PHONE": {"US": ["text me at {V} anytime", "you can reach me on {V}"],
              "UK": ["my tel is {V}", "best contact number {V}"], "DE": ["Rufnummer {V}, abends erreichbar", "Handy {V}"],
              "FR": ["appelez-moi au {V}", "tél. {V}"], "ES": ["llámame al {V}", "teléfono de contacto: {V}"],
              "IT": ["chiamami al {V}", "cellulare: {V}"], "NL": ["bel me op {V}", "telefoon {V}"],
              "IN": ["contact no {V}", "phone {V} (WhatsApp)"]},
    "CARD": ["paid with Mastercard {V} yesterday", "Kreditkarte {V}", "numéro de carte {V}", "tarjeta {V}"],
    "SSN": ["SSN {V} is on file", "for the form, ssn {V}"],
    "IBAN": ["Kontonummer (IBAN) {V}", "mi IBAN es {V}", "refund to IBAN {V} thanks"],
    "IP": ["ssh admin@{V} -p 22", "X-Forwarded-For: {V}", "ping {V}"],
    "MAC": ["whitelist {V} on the router", "hwaddr {V}"],
    "SECRET": ["Authorization key {V}", "leaked {V} in the repo", "secret={V}"],
    "URLCRED": ["git clone {V}/repo.git", "proxy {V}"],
    "WALLET": ["tips: {V}", "pay to {V} pls"],
    "DOB": ["geboren am {V}", "Birthday {V}", "my date of birth is {V}"],
    "PASSPORT": ["Reisepass-Nr. {V}", "passport {V} expires soon"],
    "LICENSE": ["DL# {V}", "license no {V}"],
    "NAME": ["Name: {V}", "me llamo {V}"],
    "ADDRESS": ["Adresse: {V}", "deliver to {V}"],
}


def url_cred(r):
    user = r.choice(["admin", "deploy", "bob", "svc_app"])
    pw = rand(r, ALNUM, r.randint(8, 16))
    host = r.choice(["db.internal", "10.1.2.3", "git.example.com", "proxy.corp.example"])
    scheme = r.choice(["postgres", "mysql", "https", "redis", "amqp"])
    return f"{scheme}://{user}:{pw}@{host}"


def value_for(kind, r, locale):
    return {"EMAIL": lambda: email(r), "PHONE": lambda: phone(r, locale), "CARD": lambda: card(r),
            "SSN": lambda: ssn(r), "IBAN": lambda: iban(r),
            "IP": lambda: ipv4(r) if r.random() < 0.6 else ipv6(r), "MAC": lambda: mac(r),
            "SECRET": lambda: secret(r), "URLCRED": lambda: url_cred(r),
            "WALLET": lambda: r.choice([btc_legacy(r), bech32(r), eth(r), r.choice(KNOWN_EIP55)]),
            "DOB": lambda: dob(r), "PASSPORT": lambda: passport(r), "LICENSE": lambda: licence(r),
            "NAME": lambda: name(r), "ADDRESS": lambda: address(r)}[kind]()


def distractor(r):
    d = lambda n: rand(r, string.digits, n)
    return r.choice([
        f"Order #{d(9)} shipped.", f"tracking 1Z{rand(r, string.ascii_uppercase + string.digits, 16)}",
        f"FedEx tracking {d(12)}", f"USPS {d(22)}", f"created_at {r.randint(1600000000000, 1800000000000)}",
        f"upgraded to version {r.randint(1, 20)}.{r.randint(0, 30)}.{r.randint(0, 99)}",
        f"ISBN 978-{r.randint(0, 9)}-{d(3)}-{d(5)}-{r.randint(0, 9)}", f"it costs ${r.randint(1, 9999)}.{d(2)}",
        f"total €{r.randint(1, 99)}.{d(3)},{d(2)}", f"request id {__import__('uuid').UUID(int=r.getrandbits(128))}",
        f"commit {rand(r, '0123456789abcdef', 40)}", f"color #{rand(r, '0123456789abcdef', 6)}",
        f"card {card(r, bad=True)} was declined as invalid", f"ref {ssn(r, bad=True)}",
        f"IBAN {iban(r, bad=True)} looks wrong", f"meeting at {r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
        f"on {r.randint(2000, 2030)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        f"invoice {d(10)} is due", f"ticket {d(7)}", f"{r.randint(2, 99)} items at {r.randint(1, 99)}.99 each",
        f"wallet {btc_legacy(r, bad=True)} bounced", f"build {d(8)} took {d(6)} ms",
        "the password is incorrect, try again", "use std::vector::push_back", f"room {r.randint(100, 999)}",
        f"sha256 {rand(r, '0123456789abcdef', 64)}", f"order number {d(10)}",
    ])


OPENERS_A = ["", "Hi! ", "Sure, ", "Ok so ", "Thanks. ", "user: "]
OPENERS_B = ["", "Hello there, ", "Bonjour, ", "Hola, ", "Ciao! ", "Hallo, ", "well... "]


def sample(r, templates, openers, idx, split):
    parts, spans = [], []
    pos = 0

    def add(text, kind=None, value=None):
        nonlocal pos
        if kind is None:
            parts.append(text)
            pos += len(text.encode())
            return
        pre, post = text.split("{V}")
        add(pre)
        b = pos
        add(value)
        spans.append({"type": kind, "begin": b, "end": pos})
        add(post)

    add(r.choice(openers))
    n_pii = r.choice([0, 1, 1, 1, 2, 2, 3])
    kinds = list(templates)
    for i in range(n_pii):
        kind = r.choice(kinds)
        locale = r.choice(["US", "UK", "DE", "FR", "ES", "IT", "NL", "IN"])
        pool = templates[kind][locale] if isinstance(templates[kind], dict) else templates[kind]
        if i:
            add(r.choice([" and ", ". Also ", "; ", ", or ", "\n"]))
        add(r.choice(pool), kind, value_for(kind, r, locale))
    for _ in range(r.choice([0, 1, 1, 2]) if n_pii else r.choice([1, 2, 3])):
        add(r.choice([" ", ". ", "\n", " -- "]) + distractor(r))
    return {"id": f"{split}-{idx}", "split": split, "text": "".join(parts), "spans": spans}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="corpus.jsonl")
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    n_held = int(args.n * 0.3)
    rows = []
    r = random.Random(1)
    rows += [sample(r, A, OPENERS_A, i, "dev") for i in range(args.n - n_held)]
    r = random.Random(2)
    rows += [sample(r, B, OPENERS_B, i, "heldout") for i in range(n_held)]
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
