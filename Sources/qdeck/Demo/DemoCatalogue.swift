import QueueDeckDomain

/// Customers and what they write about, in the languages of the desks we serve.
enum DemoCatalogue {
    struct Topic {
        var subject: String
        var body: String
        var department: String
        var tags: [String]
    }

    struct Language {
        var code: String
        var names: [String]
        var domain: String
        var topics: [Topic]
        var agentReply: [String]
        var followUp: [String]
        var phonePrefix: String
    }

    static let languages: [Language] = [
        Language(code: "lv", names: ["Ilze Bērziņa", "Jānis Kalniņš", "Kārlis Ozoliņš", "Līga Liepiņa", "Andris Krūmiņš", "Dace Zariņa", "Edgars Vītols", "Inese Jansone"],
                 domain: "inbox.lv", topics: [
                    Topic(subject: "Rēķins par novembri nav saņemts", body: "Labdien! Neesmu saņēmusi rēķinu par novembri. Lūdzu, atsūtiet to vēlreiz.", department: "billing", tags: ["invoice"]),
                    Topic(subject: "Nevaru pieslēgties kontam", body: "Sveiki, kopš vakardienas nevaru pieslēgties — parole netiek pieņemta.", department: "technical", tags: ["login"]),
                    Topic(subject: "Naudas atmaksa par atgriezto preci", body: "Atgriezu preci pirms divām nedēļām, bet nauda vēl nav atmaksāta.", department: "billing", tags: ["refund"]),
                    Topic(subject: "Piegāde kavējas", body: "Pasūtījums bija jāpiegādā pirmdien, bet tas vēl nav ieradies.", department: "general", tags: ["shipping"]),
                    Topic(subject: "Lietotne avarē startējot", body: "Pēc atjauninājuma lietotne aizveras uzreiz pēc palaišanas. Tālrunis: Samsung A52.", department: "technical", tags: ["bug"]),
                 ],
                 agentReply: ["Paldies, ka sazinājāties! Pārbaudu un drīz atbildēšu.", "Esam to izlabojuši — lūdzu, pamēģiniet vēlreiz.", "Rēķins ir nosūtīts uz jūsu e-pastu."],
                 followUp: ["Vai ir kādas ziņas?", "Diemžēl problēma joprojām pastāv.", "Paldies, bet nauda vēl nav ienākusi."],
                 phonePrefix: "+371 2"),
        Language(code: "lt", names: ["Rūta Kazlauskienė", "Tomas Jankauskas", "Žydrūnas Petraitis", "Aušra Vasiliauskaitė", "Mindaugas Žukauskas", "Eglė Butkutė"],
                 domain: "gmail.com", topics: [
                    Topic(subject: "Dvigubas mokėjimas", body: "Laba diena, iš mano kortelės nuskaičiuota du kartus už tą patį užsakymą.", department: "billing", tags: ["refund"]),
                    Topic(subject: "Neveikia slaptažodžio atkūrimas", body: "Slaptažodžio atkūrimo laiškas neateina jau trečią kartą.", department: "technical", tags: ["login"]),
                    Topic(subject: "Noriu pakeisti pristatymo adresą", body: "Ar galima pakeisti užsakymo pristatymo adresą į Kauną?", department: "general", tags: ["shipping"]),
                    Topic(subject: "Sąskaita faktūra su klaida", body: "Sąskaitoje faktūroje nurodytas neteisingas įmonės kodas.", department: "billing", tags: ["invoice"]),
                 ],
                 agentReply: ["Ačiū, kad parašėte. Tikrinu ir netrukus atsakysiu.", "Grąžinimas atliktas, pinigai bus per 3 darbo dienas.", "Adresas pakeistas."],
                 followUp: ["Ar yra naujienų?", "Vis dar neveikia.", "Ačiū, bet pinigų dar negavau."],
                 phonePrefix: "+370 6"),
        Language(code: "bg", names: ["Иван Петров", "Мария Иванова", "Георги Димитров", "Елена Николова", "Стоян Стоянов", "Десислава Тодорова"],
                 domain: "abv.bg", topics: [
                    Topic(subject: "Не мога да вляза в профила си", body: "Здравейте, при вход получавам грешка 500. Моля за помощ.", department: "technical", tags: ["login", "bug"]),
                    Topic(subject: "Възстановяване на сума", body: "Върнах продукта преди десет дни, но сумата още не е възстановена.", department: "billing", tags: ["refund"]),
                    Topic(subject: "Фактура за октомври", body: "Моля, изпратете ми фактура за октомври на фирмата.", department: "billing", tags: ["invoice"]),
                    Topic(subject: "Поръчката закъснява", body: "Поръчката ми трябваше да пристигне вчера. Кога да я очаквам?", department: "general", tags: ["shipping"]),
                 ],
                 agentReply: ["Благодарим ви! Проверяваме и ще отговорим скоро.", "Сумата е възстановена.", "Фактурата е изпратена."],
                 followUp: ["Има ли новини?", "Проблемът продължава.", "Все още нищо не съм получил."],
                 phonePrefix: "+359 88"),
        Language(code: "el", names: ["Γιώργος Παπαδόπουλος", "Ελένη Κωνσταντίνου", "Δημήτρης Νικολάου", "Μαρία Γεωργίου", "Κώστας Ιωάννου", "Σοφία Αντωνίου"],
                 domain: "otenet.gr", topics: [
                    Topic(subject: "Πρόβλημα με την πληρωμή", body: "Καλησπέρα, η πληρωμή μου απορρίφθηκε αλλά το ποσό δεσμεύτηκε.", department: "billing", tags: ["payment"]),
                    Topic(subject: "Η εφαρμογή δεν ανοίγει", body: "Μετά την τελευταία ενημέρωση η εφαρμογή κολλάει στην οθόνη φόρτωσης.", department: "technical", tags: ["bug"]),
                    Topic(subject: "Αλλαγή διεύθυνσης αποστολής", body: "Θα ήθελα να αλλάξω τη διεύθυνση αποστολής της παραγγελίας μου.", department: "general", tags: ["shipping"]),
                    Topic(subject: "Επιστροφή χρημάτων", body: "Ζητώ επιστροφή χρημάτων για την ακυρωμένη συνδρομή.", department: "billing", tags: ["refund"]),
                 ],
                 agentReply: ["Ευχαριστούμε! Το ελέγχουμε και θα σας απαντήσουμε σύντομα.", "Η επιστροφή ολοκληρώθηκε.", "Η διεύθυνση άλλαξε."],
                 followUp: ["Υπάρχει κάποια ενημέρωση;", "Το πρόβλημα παραμένει.", "Δεν έχω λάβει ακόμα τα χρήματα."],
                 phonePrefix: "+30 69"),
        Language(code: "en", names: ["Emma Thompson", "Oliver Hughes", "Priya Patel", "James O'Connor", "Sophie Walker", "Daniel Kim", "Grace Lee", "Liam Murphy"],
                 domain: "example.com", topics: [
                    Topic(subject: "Charged twice for my subscription", body: "Hi, my card was charged twice this month. Please refund the duplicate.", department: "billing", tags: ["refund"]),
                    Topic(subject: "Cannot log in after password reset", body: "I reset my password but the app still says invalid credentials.", department: "technical", tags: ["login"]),
                    Topic(subject: "Where is my order?", body: "Order #48213 was due on Monday and tracking hasn't moved since Friday.", department: "general", tags: ["shipping"]),
                    Topic(subject: "API returns 502 intermittently", body: "Our integration gets 502 Bad Gateway on about 5% of calls since this morning.\nRequest IDs attached below.", department: "technical", tags: ["bug", "api"]),
                    Topic(subject: "Invoice needs VAT number", body: "Could you reissue invoice INV-2291 with our VAT number GB123456789?", department: "billing", tags: ["invoice"]),
                    Topic(subject: "Cancel my account", body: "Please cancel my account at the end of this billing period.", department: "general", tags: ["cancel"]),
                 ],
                 agentReply: ["Thanks for reaching out — I'm looking into this now.", "The duplicate charge has been refunded; it shows in 3–5 days.", "Fixed on our side; please try again."],
                 followUp: ["Any update on this?", "Still broken, I'm afraid.", "Thanks — but nothing has arrived yet."],
                 phonePrefix: "+44 7"),
    ]

    static let notes = ["Checked the payment gateway log — duplicate capture confirmed.", "Customer is on the legacy plan; see wiki.",
                        "Escalating: same error reported by three customers today.", "Called back, no answer; will try again."]
    static let reasons = ["needs billing access", "L2: reproducible bug", "customer speaks Latvian", "workload balance"]
}
