from ninja import Router

router = Router(tags=["Hồ sơ một cửa"])


@router.get("/dossiers-ping")
def _ping(request):
    return {"ok": True}
