export default definePageConfig({ navigationBarTitleText: '电子证照核验' });
