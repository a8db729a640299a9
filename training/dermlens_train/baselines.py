"""Published HAM10000 results to print beside ours (from ../shared/ANCHORS.md, with sources)."""

BASELINES: list[dict[str, object]] = [
    {
        "name": "DermaMNIST-C (lesion-disjoint), ResNet-18 @28",
        "accuracy": [0.82, 0.83],
        "macroAuc": [0.943, 0.947],
        "lesionDisjoint": True,
        "source": "Abhishek, Jain & Hamarneh 2025, Sci Data 12:196",
    },
    {
        "name": "DermaMNIST-C (lesion-disjoint), ResNet-18 @224",
        "accuracy": [0.84, 0.85],
        "macroAuc": [0.953, 0.955],
        "lesionDisjoint": True,
        "source": "Abhishek, Jain & Hamarneh 2025, Sci Data 12:196",
    },
    {
        "name": "MedMNIST v2 DermaMNIST, ResNet-18 @28",
        "accuracy": 0.735,
        "macroAuc": 0.917,
        "lesionDisjoint": False,
        "source": "Yang et al. 2023, Sci Data 10:41, Table 3 (image-level split: lesions leak)",
    },
    {
        "name": "MedMNIST v2 DermaMNIST, ResNet-18 @224",
        "accuracy": 0.754,
        "macroAuc": 0.920,
        "lesionDisjoint": False,
        "source": "Yang et al. 2023, Sci Data 10:41, Table 3",
    },
    {
        "name": "MedMNIST+ @128, VGG16 end-to-end",
        "accuracy": 0.818,
        "macroAuc": None,
        "lesionDisjoint": False,
        "source": "Doerrich et al. 2025, Sci Rep (arXiv 2404.15786)",
    },
    {
        "name": "MedMNIST+ @224, DenseNet-121",
        "accuracy": 0.847,
        "macroAuc": None,
        "lesionDisjoint": False,
        "source": "Doerrich et al. 2025, Sci Rep (arXiv 2404.15786)",
    },
]

# Published PAD-UFES-20 results (smartphone photos). None is directly comparable with our phone
# card: they use all 6 diagnoses (we merge ACK and SCC into akiec), add clinical metadata, and
# split by image, not by patient; they are listed so that the order of magnitude is visible.
PHONE_BASELINES: list[dict[str, object]] = [
    {
        "name": "PAD-UFES-20, 6 classes, image + metadata, two encoders with cross-attention fusion",
        "accuracy": 0.768,
        "balancedAccuracy": 0.775,
        "macroAuc": 0.947,
        "patientDisjoint": False,
        "source": "Ou et al. 2022, Front. Surg. 9:1029991 (abstract; 5-fold cross-validation, mean)",
    },
    {
        "name": "PAD-UFES-20, 6 classes, image + metadata, PiT + MetaBlock",
        "balancedAccuracy": 0.800,
        "patientDisjoint": False,
        "source": "de Lima & Krohling 2022, BRACIS (arXiv 2205.15442, abstract)",
    },
]
